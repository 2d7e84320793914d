"""Fixtures shared by the report PDF tests that read the demo annual report back."""

from __future__ import annotations

from contextlib import contextmanager

import pytest
import weasyprint.draw.text as weasyprint_draw_text

from evidence.services import evidence_attach
from reports import pdf, rendering, textlayer
from tests.files import demo_rolled_back, image_bytes
from tests.reports import viewers


@contextmanager
def drawn_lines():
    """The text of every line WeasyPrint draws inside the block, as laid out."""
    textlayer.install()
    installed = weasyprint_draw_text.draw_first_line
    lines: list[str] = []

    def recording(stream, textbox, *args):
        result = installed(stream, textbox, *args)
        if textbox.text.strip():
            lines.append(textlayer._line_text(textbox))
        return result

    weasyprint_draw_text.draw_first_line = recording
    try:
        yield lines
    finally:
        weasyprint_draw_text.draw_first_line = installed


@pytest.fixture(scope="session")
def annual_report(django_db_setup, django_db_blocker, tmp_path_factory) -> dict:
    """The demo annual report with a picture and a two-page PDF as evidence, and the words it draws."""
    folder = tmp_path_factory.mktemp("annual")
    with demo_rolled_back(folder, django_db_blocker) as plan:
        evidence_attach(
            indicator=plan.indicators.get(code="1.1.1"),
            title="ডিজিটাল আর্কাইভের ছবি",
            data=image_bytes("PNG", (300, 200)),
            original_name="scan.png",
            quarter=None,
        )
        evidence_attach(
            indicator=plan.indicators.get(code="1.3.1"),
            title="ই-নথি কার্যক্রমের প্রতিবেদন",
            data=pdf.write_pdf("<p>EVIDENCE-B-1</p><p style='break-before: page'>EVIDENCE-B-2</p>"),
            original_name="scan.pdf",
            quarter=2,
        )
        with drawn_lines() as lines:
            report = rendering.render_report(plan, "annual", 4, draft=True)
    path = folder / "annual.pdf"
    path.write_bytes(report.pdf)
    return {
        "words": viewers.words("\n".join(lines)),
        "path": path,
        "pages": report.pages,
        "office": plan.office.name_bn,
        "evidence_pages": 1 + 2,
    }
