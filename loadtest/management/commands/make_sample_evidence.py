"""`make_sample_evidence --out DIR [--pages N] [--photos M]`: evidence files for the `report-200` benchmark,
written to a folder; what they are and why is in `loadtest.samples`."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from loadtest.samples import sample_pdf, sample_photo


class Command(BaseCommand):
    help = "Sample evidence for the report-200 benchmark: an N-page PDF and M phone photos, written to --out."

    def add_arguments(self, parser):
        parser.add_argument("--out", required=True, type=Path, help="folder to write the files to")
        parser.add_argument("--pages", type=int, default=180, help="pages of the PDF (default 180)")
        parser.add_argument("--photos", type=int, default=20, help="number of JPEG photos (default 20)")

    def handle(self, *args, out: Path, pages: int, photos: int, **options):
        if pages < 1 or photos < 0:
            raise CommandError("--pages must be at least 1 and --photos at least 0")
        out.mkdir(parents=True, exist_ok=True)
        files = {f"sample-{pages}-pages.pdf": sample_pdf(pages)}
        for number in range(1, photos + 1):
            files[f"photo-{number:02d}.jpg"] = sample_photo(number, portrait=number % 2 == 0)
        for name, data in files.items():
            (out / name).write_bytes(data)
            self.stdout.write(f"{out / name}\t{len(data)} bytes")
