from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError

from base.commands import APACommand
from base.errors import DomainError
from evidence.services import evidence_attach, upload_too_large
from indicators import parsing
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
        data = _read_evidence_file(path)

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


def _read_evidence_file(path: Path) -> bytes:
    """The file's bytes, read only when it is a regular file within the size limit (checked before reading;
    should the file grow meanwhile, the reading stops one byte past the limit and ``evidence_attach``
    refuses it). The path is the operator's own choice: it may point anywhere; what is kept is checked by
    content and stored under a random name."""
    limit = settings.EVIDENCE_MAX_BYTES
    try:
        if not path.is_file():  # also a directory, a device such as /dev/zero, or a name with a NUL byte
            raise CommandError(
                f"ফাইলটি পাওয়া যায়নি বা এটি সাধারণ ফাইল নয় / not found or not a regular file: {str(path)!r}"
            )
        if path.stat().st_size > limit:
            raise CommandError(upload_too_large().message)
        with path.open("rb") as handle:
            return handle.read(limit + 1)
    except (OSError, ValueError) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise CommandError(f"ফাইল পড়া যায়নি / cannot read {str(path)!r}: {reason}") from exc
