"""``manage.py send_reminders [--today YYYY-MM-DD]`` (DESIGN.md §8): mail those with a deadline near."""

from __future__ import annotations

import datetime

from django.core.management.base import CommandError
from django.utils import timezone

from base.commands import APACommand
from workflow.reminders import send_reminders


class Command(APACommand):
    help = "Mail the people who must act before a deadline that is near; idempotent per day."

    def add_arguments(self, parser):
        parser.add_argument("--today", help="the day to remind for, YYYY-MM-DD (default: today)")
        parser.add_argument("--days", type=int, default=None, help="how many days ahead (APA_REMINDER_DAYS)")

    def handle(self, *args, today=None, days=None, **options):
        if today:
            try:
                day = datetime.date.fromisoformat(today)
            except ValueError as error:
                raise CommandError(
                    f"তারিখ বোঝা যায়নি: {today} — YYYY-MM-DD লিখুন / not a date: {today}, write YYYY-MM-DD"
                ) from error
        else:
            day = timezone.localdate()
        result = send_reminders(today=day, days=days)
        self.stdout.write(
            f"স্মরণবার্তা: {result.users} জনকে {result.items}টি কাজের কথা / reminders: {result.users} user(s), "
            f"{result.items} item(s)"
            + (f"; {result.failed} mail(s) failed, see the log" if result.failed else "")
        )
        if result.failed:
            raise CommandError(f"{result.failed}টি ই-মেইল পাঠানো যায়নি / {result.failed} mail(s) not sent")
