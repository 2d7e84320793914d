"""`make_sample_evidence --out DIR [--pages N] [--photos M]`: the sample evidence files of the `report-200`
benchmark."""

from __future__ import annotations

import io

from django.core.management import call_command
from PIL import Image
from pypdf import PdfReader


def test_make_sample_evidence_writes_a_pdf_and_photos(tmp_path):
    """The benchmark helper writes an N-page PDF (text and scanned pages) and M photos that annex_pdf takes."""
    call_command("make_sample_evidence", out=tmp_path / "sample", pages=3, photos=2, stdout=io.StringIO())

    files = sorted(path.name for path in (tmp_path / "sample").iterdir())
    assert files == ["photo-01.jpg", "photo-02.jpg", "sample-3-pages.pdf"]
    sample = (tmp_path / "sample" / "sample-3-pages.pdf").read_bytes()
    assert len(PdfReader(io.BytesIO(sample)).pages) == 3
    photo = Image.open(tmp_path / "sample" / "photo-02.jpg")
    assert photo.size == (3264, 2448) and photo.getexif()[0x0112] == 6
    assert 800_000 < (tmp_path / "sample" / "photo-02.jpg").stat().st_size < 2_500_000
