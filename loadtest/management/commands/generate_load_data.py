"""`generate_load_data --offices N --year YEAR [--seed S] [--password P]` (DESIGN.md §8): a national-size
synthetic data set for load tests; what it builds and why is in `loadtest.loadgen`."""

from __future__ import annotations

import os

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection
from django.utils import timezone

from base.commands import APACommand
from base.errors import DomainError
from loadtest.loadgen import generate
from loadtest.loadgen.tree import ROOT_CODE


class Command(APACommand):
    help = (
        "জাতীয় আকারের কৃত্রিম তথ্য (লোড পরীক্ষার জন্য): দপ্তরের কাঠামো, কর্মপরিকল্পনা, অগ্রগতি, প্রমাণক, "
        "কার্যপ্রবাহ ও ব্যবহারকারী — a national-size synthetic data set for load tests"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--offices",
            type=int,
            required=True,
            help="number of generated offices below the Cabinet Division",
        )
        parser.add_argument("--year", required=True, help="fiscal year, e.g. 2023-24")
        parser.add_argument(
            "--seed", type=int, default=1, help="the same seed gives the same data (default 1)"
        )
        parser.add_argument(
            "--password",
            default=os.environ.get("APA_LOAD_PASSWORD", generate.DEFAULT_PASSWORD),
            help=f"password of every generated user (default: $APA_LOAD_PASSWORD or {generate.DEFAULT_PASSWORD})",
        )

    def handle(self, *args, offices: int, year: str, seed: int, password: str, **options):
        # The arguments first: a refusal needs no database.
        if settings.PRODUCTION:
            raise CommandError(
                "generate_load_data পরীক্ষার ডেটাবেসের জন্য: এটি জানা পাসওয়ার্ডসহ ব্যবহারকারী (মন্ত্রিপরিষদ বিভাগের "
                "পর্যালোচকও) তৈরি করে, তাই উৎপাদন সাইটে (DJANGO_DEBUG=0) চালানো যায় না।\n"
                "generate_load_data is for test databases: it creates users with a known password (a Cabinet "
                "Division reviewer among them), so it refuses to run on a production site (DJANGO_DEBUG=0)."
            )
        try:
            generate.options_check(offices=offices, year_code=year)
        except DomainError as error:
            raise CommandError(error.message) from error

        def say(line: str) -> None:
            self.stdout.write(line)
            self.stdout.flush()

        result = self.run_service(
            lambda: generate.load_data_generate(
                offices=offices, year_code=year, seed=seed, password=password, progress=say
            )
        )
        if connection.vendor == "postgresql":
            # Fresh planner statistics, or the first queries on millions of new rows plan as if tables were
            # empty; and the visibility map set, or every index-only scan also reads the table until
            # autovacuum comes round (the national summary measured ~1.3x slower before it).
            # VACUUM cannot run inside a transaction (a caller's, or a test's): then statistics only.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")

        sizes = result.sizes
        self.stdout.write(
            f"দপ্তর / offices: {offices} (মন্ত্রণালয়/বিভাগ {sizes.ministries}, অধিদপ্তর/সংস্থা {sizes.departments}, "
            f"মাঠ পর্যায় / field {sizes.field_offices}) — মন্ত্রিপরিষদ বিভাগের ({ROOT_CODE}) অধীনে"
        )
        self.stdout.write("সারি / rows:")
        for label, count in sorted(result.rows.items()):
            self.stdout.write(f"  {label:<30} {count:>10}")
        for quarter in (1, 2, 3, 4):
            mix = ", ".join(
                f"{state} {count}" for (q, state), count in sorted(result.states.items()) if q == quarter
            )
            self.stdout.write(f"  Q{quarter}: {mix}")
        if result.percents:
            percents = sorted(result.percents)
            below = sum(1 for p in percents if p < 60)
            self.stdout.write(
                f"বার্ষিক নম্বর (%) / annual percent: min {percents[0]:.2f}, "
                f"median {percents[len(percents) // 2]:.2f}, max {percents[-1]:.2f}; below 60: {below} offices"
            )
        self.stdout.write(f"তথ্যের সময় / data as of: {timezone.localtime(result.as_of):%Y-%m-%d %H:%M %Z}")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
                self.stdout.write(f"ডাটাবেজের আকার / database size: {cursor.fetchone()[0]}")
        self.stdout.write(
            "ব্যবহারকারী / users: <office code>.officer, <office code>.cio, <office code>.reviewer "
            f"(offices with child offices), {generate.ROOT_REVIEWER}"
        )
        self.stdout.write(f"  e.g. {', '.join(result.sample_users)}")
        self.stdout.write(f"পাসওয়ার্ড / password: {password}")
        self.stdout.write(f"সময় / elapsed: {result.seconds:.1f} s")
