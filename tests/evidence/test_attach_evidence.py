"""`attach_evidence` (DESIGN.md §5, §8): PDF/JPEG/PNG checked by content, kept under a random name."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError

from base.errors import DomainError
from evidence.models import Evidence
from evidence.services import evidence_attach
from evidence.validators import EvidenceRejected, check_evidence_bytes
from tests.files import image_bytes as _image
from tests.files import pdf_bytes as _pdf

OFFICE, YEAR = "mofa", "2022-23"
ORIGINAL_STEM = "gopon-prottoy-bhandar"  # must never show up in the stored path


def _storage_files() -> list[Path]:
    root = Path(django_settings.STORAGES["default"]["OPTIONS"]["location"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _attach(tmp_path: Path, name: str, data: bytes, **options) -> str:
    source = tmp_path / "incoming" / name
    source.parent.mkdir(exist_ok=True)
    source.write_bytes(data)
    out = io.StringIO()
    options = {"office": OFFICE, "year": YEAR, "indicator": "[১.২.২]", "title": "প্রমাণক", **options}
    call_command("attach_evidence", str(source), stdout=out, stderr=io.StringIO(), **options)
    return out.getvalue()


# --- accepted files ------------------------------------------------------------------------------


def test_multi_page_pdf_is_stored_under_a_random_name_with_hash_size_and_pages(demo, tmp_path):
    """A 3-page PDF: row with sha256, size, page_count 3; the stored path carries nothing of the original name."""
    data = _pdf(3)
    output = _attach(tmp_path, f"{ORIGINAL_STEM}.pdf", data, title="  সেবা  চালুর আদেশ ", quarter="৪")
    evidence = Evidence.objects.get()
    assert evidence.indicator.code == "1.2.2"
    assert evidence.indicator.plan == demo
    assert evidence.quarter == 4
    assert evidence.title == "সেবা চালুর আদেশ"
    assert evidence.content_type == "application/pdf"
    assert evidence.page_count == 3
    assert evidence.size == len(data)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.original_name == f"{ORIGINAL_STEM}.pdf"
    assert "gopon" not in evidence.file.name and "prottoy" not in evidence.file.name
    assert evidence.file.name.startswith("evidence/") and evidence.file.name.endswith(".pdf")
    stored = _storage_files()
    assert len(stored) == 1
    assert stored[0].read_bytes() == data
    assert evidence.sha256 in output


@pytest.mark.parametrize(
    ("kind", "content_type", "extension"), [("JPEG", "image/jpeg", ".jpg"), ("PNG", "image/png", ".png")]
)
def test_image_is_stored_as_one_page_with_its_hash(demo, tmp_path, kind, content_type, extension):
    """JPEG and PNG are accepted as one page each, stored under a random name with the type's extension."""
    data = _image(kind)
    _attach(tmp_path, f"{ORIGINAL_STEM}{extension}", data, quarter="Q2")
    evidence = Evidence.objects.get()
    assert (evidence.content_type, evidence.page_count, evidence.quarter) == (content_type, 1, 2)
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size == len(data)
    assert evidence.file.name.endswith(extension)
    assert ORIGINAL_STEM not in evidence.file.name


def test_png_named_pdf_is_accepted_as_png(demo, tmp_path):
    """The content decides the type: a PNG called scan.pdf is stored as a PNG with extension .png."""
    _attach(tmp_path, "scan.pdf", _image("PNG"))
    evidence = Evidence.objects.get()
    assert evidence.content_type == "image/png"
    assert evidence.file.name.endswith(".png")


def test_two_files_for_one_indicator_get_increasing_positions_and_distinct_names(demo, tmp_path):
    """Each upload gets the next position in the index and its own random file name."""
    _attach(tmp_path, "a.pdf", _pdf(1))
    _attach(tmp_path, "a.pdf", _pdf(2))
    first, second = Evidence.objects.order_by("position")
    assert (first.position, second.position) == (1, 2)
    assert first.file.name != second.file.name
    assert len(_storage_files()) == 2


def test_attach_without_quarter_leaves_quarter_empty(demo, tmp_path):
    """--quarter is optional: evidence for the indicator as a whole has no quarter."""
    _attach(tmp_path, "a.pdf", _pdf(1))
    assert Evidence.objects.get().quarter is None


# --- refused files: Bangla message, no row, no file ----------------------------------------------


def _truncated_png() -> bytes:
    data = _image("PNG")
    return data[: len(data) // 2]


def _truncated_pdf() -> bytes:
    data = _pdf(3)
    return data[: len(data) * 2 // 3]


REFUSED = {
    "text": ("notes.txt", "এটি একটি সাধারণ লেখা।\n".encode()),
    "html-named-pdf": ("report.pdf", b"<!DOCTYPE html><html><body><h1>report</h1></body></html>"),
    "exe-named-png": ("photo.png", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200),
    "encrypted-pdf": ("secret.pdf", _pdf(2, password="gopon")),
    "truncated-pdf": ("cut.pdf", _truncated_pdf()),
    "truncated-png": ("cut.png", _truncated_png()),
    "truncated-jpeg": ("cut.jpg", _image("JPEG")[:300]),
    "empty": ("empty.pdf", b""),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_unacceptable_file_is_refused_in_bangla_and_leaves_nothing_behind(demo, tmp_path, case):
    """Refused files raise CommandError with a Bangla reason; no Evidence row and no stored file remain."""
    name, data = REFUSED[case]
    with pytest.raises(CommandError) as caught:
        _attach(tmp_path, name, data)
    assert any("\u0980" <= ch <= "\u09ff" for ch in str(caught.value))
    assert Evidence.objects.count() == 0
    assert _storage_files() == []


def test_refusal_messages_say_why(demo):
    """The service's refusal names the reason: encrypted, damaged, empty, wrong type."""
    indicator = demo.indicators.get(code="1.2.2")
    expectations = {
        "encrypted-pdf": "এনক্রিপশন",
        "truncated-pdf": "ভাঙা",
        "truncated-png": "ভাঙা",
        "empty": "খালি",
        "text": "PDF, JPEG বা PNG",
    }
    for case, words in expectations.items():
        name, data = REFUSED[case]
        with pytest.raises(EvidenceRejected) as caught:
            evidence_attach(indicator=indicator, title="t", data=data, original_name=name)
        assert words in caught.value.message_bn, case
        assert caught.value.message_en, case


def test_file_over_the_size_limit_is_refused(demo, tmp_path, settings):
    """settings.EVIDENCE_MAX_BYTES is the limit: one byte over is refused, exactly at the limit is accepted."""
    data = _pdf(1)
    settings.EVIDENCE_MAX_BYTES = len(data) - 1
    with pytest.raises(CommandError) as caught:
        _attach(tmp_path, "big.pdf", data)
    assert "বড়" in str(caught.value)
    assert Evidence.objects.count() == 0
    assert _storage_files() == []
    settings.EVIDENCE_MAX_BYTES = len(data)
    _attach(tmp_path, "big.pdf", data)
    assert Evidence.objects.count() == 1


def test_unknown_indicator_code_is_refused(demo, tmp_path):
    """An indicator code the plan does not have is refused in Bangla; nothing is stored."""
    with pytest.raises(CommandError) as caught:
        _attach(tmp_path, "a.pdf", _pdf(1), indicator="[৯.৯.৯]")
    assert "কোনো সূচক নেই" in str(caught.value)
    assert Evidence.objects.count() == 0
    assert _storage_files() == []


@pytest.mark.parametrize("quarter", ["5", "০", "Q5"])
def test_quarter_outside_one_to_four_is_refused(demo, tmp_path, quarter):
    """--quarter 5 (or 0) is refused with a Bangla message; nothing is stored."""
    with pytest.raises(CommandError) as caught:
        _attach(tmp_path, "a.pdf", _pdf(1), quarter=quarter)
    assert "ত্রৈমাসিক" in str(caught.value)
    assert Evidence.objects.count() == 0
    assert _storage_files() == []


def test_service_refuses_quarter_five(demo):
    """evidence_attach(quarter=5) is a domain error, before anything is written."""
    indicator = demo.indicators.get(code="1.2.2")
    with pytest.raises(DomainError) as caught:
        evidence_attach(indicator=indicator, title="t", data=_pdf(1), original_name="a.pdf", quarter=5)
    assert "১ থেকে ৪" in caught.value.message_bn
    assert Evidence.objects.count() == 0
    assert _storage_files() == []


def test_unknown_plan_is_refused(demo, tmp_path):
    """An office without a plan for the year is refused in Bangla."""
    with pytest.raises(CommandError) as caught:
        _attach(tmp_path, "a.pdf", _pdf(1), office="msw")
    assert "কর্মপরিকল্পনা নেই" in str(caught.value)
    assert Evidence.objects.count() == 0


def test_missing_source_file_is_refused(demo, tmp_path):
    """A path that does not exist is a CommandError, not a traceback."""
    with pytest.raises(CommandError):
        call_command(
            "attach_evidence",
            str(tmp_path / "nope.pdf"),
            office=OFFICE,
            year=YEAR,
            indicator="1.2.2",
            title="t",
        )


def test_truncated_photo_is_refused_even_after_weasyprint_was_imported(demo, tmp_path):
    """WeasyPrint makes Pillow tolerate truncated images process-wide; evidence checks stay strict anyway."""
    import weasyprint  # noqa: F401  (its import flips PIL.ImageFile.LOAD_TRUNCATED_IMAGES)
    from PIL import ImageFile

    assert ImageFile.LOAD_TRUNCATED_IMAGES is True
    truncated = _image("PNG", (400, 300), "red")[:-200]
    with pytest.raises(EvidenceRejected):
        check_evidence_bytes(truncated, max_bytes=10_000_000)
    assert ImageFile.LOAD_TRUNCATED_IMAGES is True  # restored for WeasyPrint
