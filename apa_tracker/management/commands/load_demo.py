import json
import os
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from base.commands import APACommand
from indicators.models import ActionPlan, Office, OfficeMembership, Role
from indicators.services.offices import fiscal_year_get_or_create, offices_import
from indicators.services.plans import plan_import
from indicators.services.progress import progress_import
from indicators.sheets import read_sheet
from reports.editing import report_contents_load
from reports.meetings import meeting_import
from reports.models import Meeting, SmartPlan
from reports.smart_plan import smart_plan_import

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo" / "mofa-2022-23"
DEMO_YEAR = "2022-23"
# Seed 004: the Statistics and Informatics Division's review meeting of 2022-23, as meeting 1.
# Seed 003: the Ministry of Social Welfare's Smart Bangladesh action plan of 2023-24.
MSW_SMART_PLAN = Path(__file__).resolve().parents[2] / "demo" / "msw-2023-24" / "smart-plan.json"
SID_MEETING = Path(__file__).resolve().parents[2] / "demo" / "sid-2022-23" / "meeting-1.json"
DEFAULT_PASSWORD = "apa-demo-2023"

# Letterhead details from the submitted report (seed 000) that the offices sheet does not carry.
OFFICE_DETAILS = {
    "mofa": {"wing_bn": "আইসিটি অনুবিভাগ", "memo_prefix": "১৯.০০.০০০০.১৭৫.৪২.০০১.২৩"},
    "cabinet": {"wing_bn": "সমন্বয় ও সংস্কার"},
    "sid": {"wing_bn": "আইসিটি-১ শাখা"},
    "msw": {"wing_bn": "আইসিটি ও ইনোভেশন শাখা"},
}

# (username, first name, office, role); the admin is a superuser besides.
DEMO_USERS = [
    ("mofa.officer", "আইসিটি কর্মকর্তা (পররাষ্ট্র)", "mofa", Role.OFFICER),
    ("mofa.cio", "চিফ ইনোভেশন অফিসার (পররাষ্ট্র)", "mofa", Role.CIO),
    ("cabinet.reviewer", "পর্যালোচক (মন্ত্রিপরিষদ বিভাগ)", "cabinet", Role.REVIEWER),
    ("msw.officer", "আইসিটি কর্মকর্তা (সমাজকল্যাণ)", "msw", Role.OFFICER),
    ("admin", "প্রশাসক", "cabinet", Role.ADMIN),
]


class Command(APACommand):
    help = "ডেমো তথ্য লোড: দপ্তর, পররাষ্ট্র মন্ত্রণালয়ের ২০২২-২৩ কর্মপরিকল্পনা, অগ্রগতি ও ব্যবহারকারী (বারবার চালানো নিরাপদ)"

    def add_arguments(self, parser):
        parser.add_argument(
            "--password",
            default=os.environ.get("APA_DEMO_PASSWORD", DEFAULT_PASSWORD),
            help=f"password of every demo user (default: $APA_DEMO_PASSWORD or {DEFAULT_PASSWORD})",
        )

    def handle(self, *args, **options):
        password = options["password"]
        self.run_service(lambda: self.load(password))
        self.stdout.write("ডেমো তথ্য প্রস্তুত / demo data ready: offices, MoFA plan 2022-23 with progress")
        self.stdout.write("ব্যবহারকারী / users:")
        for username, name, office, role in DEMO_USERS:
            self.stdout.write(f"  {username:<18} {role.value:<9} {office:<8} {name}")
        self.stdout.write(f"পাসওয়ার্ড / password: {password}")

    @transaction.atomic
    def load(self, password: str) -> None:
        offices_import(sheet=read_sheet(DEMO_DIR / "offices.csv"))
        for code, details in OFFICE_DETAILS.items():
            Office.objects.filter(code=code).update(**details)
        office = Office.objects.get(code="mofa")
        fiscal_year = fiscal_year_get_or_create(code=DEMO_YEAR)
        # Idempotent without wiping work: an existing demo plan (perhaps edited or approved in the browser
        # since) is left as it is; `make run` calls this every time.
        if not ActionPlan.objects.filter(office=office, fiscal_year=fiscal_year).exists():
            result = plan_import(
                office=office, fiscal_year=fiscal_year, sheet=read_sheet(DEMO_DIR / "plan.csv")
            )
            progress_import(plan=result.plan, sheet=read_sheet(DEMO_DIR / "progress.csv"))
            # The report's own contents as submitted (seed 000): Q4 cover letter, introduction, initiatives.
            report_contents_load(plan=result.plan, path=DEMO_DIR / "report.json")

        sid = Office.objects.get(code="sid")
        if not Meeting.objects.filter(office=sid, fiscal_year=fiscal_year, number=1).exists():
            meeting_import(
                office=sid,
                fiscal_year=fiscal_year,
                record=json.loads(SID_MEETING.read_text(encoding="utf-8")),
            )

        msw = Office.objects.get(code="msw")
        year_2023 = fiscal_year_get_or_create(code="2023-24")
        if not SmartPlan.objects.filter(office=msw, fiscal_year=year_2023).exists():
            smart_plan_import(
                office=msw,
                fiscal_year=year_2023,
                record=json.loads(MSW_SMART_PLAN.read_text(encoding="utf-8")),
            )

        User = get_user_model()
        for username, name, office_code, role in DEMO_USERS:
            user, _created = User.objects.get_or_create(username=username)
            user.first_name = name
            # DESIGN.md §8: demo users have e-mail addresses (the mails of DESIGN.md §10 reach someone);
            # an address changed since is kept.
            user.email = user.email or f"{username}@demo.apa.example"
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.is_active = True
            user.set_password(password)
            user.save()
            OfficeMembership.objects.get_or_create(
                user=user, office=Office.objects.get(code=office_code), role=role
            )
