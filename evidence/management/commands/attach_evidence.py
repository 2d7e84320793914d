from pathlib import Path

from django.core.management.base import CommandError

from apa_tracker.errors import DomainError
from evidence.services import evidence_attach
from indicators import parsing
from indicators.management.commands._base import APACommand
from indicators.selectors import plan_get


class Command(APACommand):
    help = "একটি সূচকে প্রমাণক (PDF/JPEG/PNG) যুক্ত করা — attach an evidence file to an indicator"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--office", required=True)
        parser.add_argument("--year", required=True)
        parser.add_argument("--indicator", required=True, help="indicator code, e.g. 1.2.2 or [১.২.২]")
        parser.add_argument("--title", required=True)
        parser.add_argument("--quarter", help="1-4 (optional)")

    def handle(self, *args, **options):
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"ফাইল পড়া যায়নি / cannot read {path}: {exc.strerror}") from exc

        def run():
            plan = plan_get(office_code=options["office"], year_code=options["year"])
            try:
                code = parsing.parse_code(options["indicator"], depth=3)
                quarter = parsing.parse_quarter(options["quarter"]) if options["quarter"] else None
            except parsing.CellError as error:
                raise DomainError(error.message_bn, error.message_en) from error
            indicator = plan.indicators.filter(code=code).first()
            if indicator is None:
                raise DomainError(
                    f"কর্মপরিকল্পনায় {options['indicator']} নম্বরের কোনো সূচক নেই।",
                    f"The plan has no indicator {code}.",
                )
            return evidence_attach(
                indicator=indicator,
                title=options["title"],
                data=data,
                original_name=path.name,
                quarter=quarter,
            )

        evidence = self.run_service(run)
        self.stdout.write(
            f"প্রমাণক যুক্ত হয়েছে / evidence attached: #{evidence.pk} {evidence.content_type}, "
            f"{evidence.page_count} page(s), sha256 {evidence.sha256}"
        )
