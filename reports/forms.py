"""Forms of the report texts the team edits in the browser: cover letter, introduction, initiatives.

They only read and check what was typed; ``reports.editing`` saves it (permission and locks checked there).
Dates read Bangla or ASCII digits (``base.forms``) and are shown in Bangla digits in the Bangla UI.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from base.forms import BanglaDateField, BanglaDigitsFormMixin, DateEntryInput
from reports.models import InitiativeKind

DATE_HELP = _("দিন/মাস/বছর, বাংলা বা ইংরেজি অঙ্কে: যেমন ০৫/০৭/২০২৩ বা 05/07/2023।")
LINES_HELP = _("প্রতিটি লাইন আলাদা")  # the model's own help text


class BanglaDateInput(DateEntryInput):
    """The site's date box (``base.forms.DateEntryInput``), with a placeholder."""

    def __init__(self, attrs: dict | None = None):
        super().__init__(attrs={"placeholder": _("দিন/মাস/বছর"), **(attrs or {})})


def _lines(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class FingerprintField(forms.CharField):
    """What the form was loaded with (``reports.editing.*_fingerprint``): a save over newer content is refused."""

    def __init__(self):
        super().__init__(required=False, widget=forms.HiddenInput, max_length=64)


class CoverLetterForm(BanglaDigitsFormMixin, forms.Form):
    letter_date = BanglaDateField(
        label=_("পত্রের তারিখ"), required=False, widget=BanglaDateInput(), help_text=DATE_HELP
    )
    subject = forms.CharField(
        label=_("বিষয়"),
        max_length=1000,
        widget=_lines(2),
        help_text=_('পত্রের "বিষয়ঃ" লাইনে যা ছাপা হবে।'),
    )
    body = forms.CharField(
        label=_("পত্রের মূল অংশ"),
        max_length=10000,
        widget=_lines(6),
        help_text=_("ফাঁকা লাইন দিয়ে অনুচ্ছেদ আলাদা করুন।"),
    )
    attachments = forms.CharField(
        label=_("সংযুক্তি"), max_length=255, required=False, help_text=_("যেমন: বর্ণনানুযায়ী")
    )
    signatory_name = forms.CharField(
        label=_("স্বাক্ষরকারীর নাম"),
        max_length=255,
        required=False,
        help_text=_("সাধারণত দপ্তরের চিফ ইনোভেশন অফিসার।"),
    )
    signatory_designation = forms.CharField(
        label=_("স্বাক্ষরকারীর পদবি"), max_length=1000, required=False, widget=_lines(3), help_text=LINES_HELP
    )
    recipient = forms.CharField(
        label=_("প্রাপক"),
        max_length=2000,
        required=False,
        widget=_lines(4),
        help_text=_("পদবি, শাখা, দপ্তর ও ঠিকানা — প্রতিটি আলাদা লাইনে।"),
    )
    attention = forms.CharField(
        label=_("দৃষ্টি আকর্ষণ (দৃঃ আঃ)"),
        max_length=500,
        required=False,
        help_text=_("যাঁর দৃষ্টি আকর্ষণ করা হচ্ছে: নাম, পদবি, শাখা।"),
    )
    copies = forms.CharField(
        label=_("অনুলিপি"),
        max_length=5000,
        required=False,
        widget=_lines(4),
        help_text=_("প্রতিটি প্রাপক আলাদা লাইনে, ক্রমিক নম্বর ছাড়া।"),
    )
    fingerprint = FingerprintField()


class IntroductionForm(forms.Form):
    text = forms.CharField(
        label=_("ভূমিকা"),
        required=False,
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 18}),
        help_text=_(
            'সহজ চিহ্ন: "## " দিয়ে শুরু লাইন শিরোনাম; "- " দিয়ে শুরু লাইন তালিকার একটি বিষয়; ফাঁকা লাইন '
            "দিয়ে নতুন অনুচ্ছেদ। শুধু [[চলমান উদ্যোগ]] বা [[ভবিষ্যৎ কর্মপরিকল্পনা]] লেখা একটি লাইনে সেই "
            "উদ্যোগের সারণি বসে; না লিখলে সারণিগুলো ভূমিকার শেষে বসে।"
        ),
    )
    fingerprint = FingerprintField()


class InitiativeForm(BanglaDigitsFormMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("ধরন"),
        choices=InitiativeKind.choices,
        help_text=_("প্রতিবেদনে চলমান ও সমাপ্ত উদ্যোগ এক সারণিতে, ভবিষ্যৎ উদ্যোগ আরেক সারণিতে থাকে।"),
    )
    title = forms.CharField(
        label=_("উদ্যোগ"),
        max_length=500,
        help_text=_('সারণির "কর্মপরিকল্পনা" ঘরে যা থাকবে, যেমন: মিশন অ্যাক্টিভিটি ট্র্যাকার।'),
    )
    details = forms.CharField(
        label=_("বিস্তারিত"),
        required=False,
        max_length=5000,
        widget=_lines(4),
        help_text=_("এক-দুই বাক্যে উদ্যোগের বর্ণনা।"),
    )
    completion_text = forms.CharField(
        label=_("সমাপ্তির সময়"),
        required=False,
        max_length=100,
        help_text=_("যেভাবে সারণিতে লেখা হবে, যেমন: অগাস্ট ২০২৩, সমাপ্ত, চলমান।"),
    )
    completion_date = BanglaDateField(
        label=_("সমাপ্তির তারিখ"),
        required=False,
        widget=BanglaDateInput(),
        help_text=_(
            "নির্দিষ্ট তারিখ জানা থাকলে: দিন/মাস/বছর, বাংলা বা ইংরেজি অঙ্কে, যেমন ৩১/০৮/২০২৩। "
            '"সমাপ্তির সময়" ফাঁকা থাকলে প্রতিবেদনে এই তারিখ ছাপা হয়।'
        ),
    )
