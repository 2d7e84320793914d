"""A user's own choices: whether the site mails them (DESIGN.md §10)."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from base.errors import PermissionDeniedError
from indicators.models import MailPreference


def mail_wanted(user: AbstractBaseUser) -> bool:
    """Whether the user wants the site's mails (yes unless they turned them off)."""
    preference = MailPreference.objects.filter(user_id=user.pk).first()
    return preference is None or preference.mail_enabled


@transaction.atomic
def mail_preference_set(*, user: AbstractBaseUser, mail_enabled: bool) -> MailPreference:
    """Turn the site's mails on or off for this user (only for themselves: the profile page)."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDeniedError("আপনার এই কাজটি করার অনুমতি নেই।", "You are not allowed to do this.")
    preference, _created = MailPreference.objects.select_for_update().get_or_create(user=user)
    preference.mail_enabled = mail_enabled
    preference.full_clean()
    preference.save()
    return preference
