"""The evidence annex (DESIGN.md §6): evidence merged in index order, pictures on A4, every page stamped.

Checked with Poppler (`pdfinfo`, `pdftotext`, `pdftoppm`) as a reader sees the file, not only with pypdf.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from collections.abc import Sequence

import pytest
from django.core.files.base import ContentFile
from PIL import Image, ImageOps
from pypdf import PdfReader, PdfWriter
from pypdf.generic import DecodedStreamObject, NameObject

from base.bangla import to_bangla_digits
from evidence.models import ContentType, Evidence
from evidence.services import evidence_attach
from reports import annex
from reports.annex import annex_pdf, evidence_page_count, stamp_label, stamp_pages
from tests.files import text_pdf

A4 = (595.276, 841.89)
LETTER = (612, 792)
A3_LANDSCAPE = (1190.55, 841.89)

# Four flat quadrants: which colour lands where shows how a picture was turned.
RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 200, 60), (30, 60, 220), (240, 220, 30)


# --- making evidence files ---------------------------------------------------------------------------


def _quadrants(width: int, height: int, mode: str = "RGB") -> Image.Image:
    image = Image.new("RGB", (width, height))
    half_w, half_h = width // 2, height // 2
    for box, colour in (
        ((0, 0, half_w, half_h), RED),
        ((half_w, 0, width, half_h), GREEN),
        ((0, half_h, half_w, height), BLUE),
        ((half_w, half_h, width, height), YELLOW),
    ):
        image.paste(colour, box)
    return image.convert(mode) if mode != "RGB" else image


def _jpeg(image: Image.Image, *, orientation: int = 1) -> bytes:
    exif = Image.Exif()
    exif[0x0112] = orientation
    exif[0x010F] = "PhoneMaker"  # metadata that must not reach the report
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=95, exif=exif.tobytes())
    return buffer.getvalue()


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _evidence(data: bytes, content_type: str, page_count: int = 1) -> Evidence:
    """An unsaved Evidence whose file is in the test's storage (no database needed for the annex)."""
    evidence = Evidence(title="t", content_type=content_type, page_count=page_count, size=len(data))
    evidence.file.save("upload", ContentFile(data), save=False)
    return evidence


def _pdf_evidence(pages: Sequence[dict]) -> Evidence:
    return _evidence(text_pdf(*pages, size=A4), ContentType.PDF, len(pages))


# --- reading the result as a reader does ------------------------------------------------------------


def _write(tmp_path, pdf: bytes, name: str = "annex.pdf"):
    path = tmp_path / name
    path.write_bytes(pdf)
    return path


def _pdfinfo_pages(path) -> list[tuple[float, float, int]]:
    """(width, height, rotation) of every page, from `pdfinfo`."""
    output = subprocess.run(
        ["pdfinfo", "-f", "1", "-l", "100000", str(path)], capture_output=True, text=True, check=True
    ).stdout
    sizes = [tuple(map(float, m)) for m in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+)", output)]
    rotations = [int(m) for m in re.findall(r"Page\s+\d+ rot:\s+(\d+)", output)]
    return [(w, h, r) for (w, h), r in zip(sizes, rotations, strict=True)]


def _page_texts(path) -> list[str]:
    """The text of every page, from `pdftotext` (pages end with a form feed)."""
    output = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return output.split("\f")[:-1]


def _words(path, page: int) -> list[tuple[str, float, float, float, float]]:
    """(word, xMin, yMin, xMax, yMax) on one page, from `pdftotext -bbox`: displayed coordinates, y down."""
    output = subprocess.run(
        ["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(path), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [
        (word, float(x0), float(y0), float(x1), float(y1))
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', output
        )
    ]


def _render(path, page: int, dpi: int = 30) -> Image.Image:
    png = subprocess.run(
        ["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), "-png", str(path)],
        capture_output=True,
        check=True,
    ).stdout
    return Image.open(io.BytesIO(png)).convert("RGB")


def _quadrant_colours(image: Image.Image) -> list[tuple[int, int, int]]:
    """The colours at the centres of the four quadrants of the picture drawn on a white page."""
    left, top, right, bottom = ImageOps.invert(image).getbbox()
    width, height = right - left, bottom - top
    return [
        image.getpixel((left + int(width * fx), top + int(height * fy)))
        for fx, fy in ((0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75))
    ]


def _close(colour: Sequence[int], expected: Sequence[int], tolerance: int = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def _nearest(colour: Sequence[int]) -> tuple[int, int, int]:
    return min(
        (RED, GREEN, BLUE, YELLOW),
        key=lambda ref: sum((a - b) ** 2 for a, b in zip(colour, ref, strict=True)),
    )


def _image_xobjects(pdf: bytes, page: int) -> list:
    resources = PdfReader(io.BytesIO(pdf)).pages[page]["/Resources"]
    return [x.get_object() for x in resources["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]


# --- annex_pdf -----------------------------------------------------------------------------------


def test_annex_keeps_the_order_and_reports_the_pages_each_evidence_took(tmp_path):
    """PDF pages are copied in order and stay text (not pictures); each picture takes one page."""
    items = [
        _pdf_evidence([{"text": "Alpha page one"}, {"text": "Alpha page two"}, {"text": "Alpha page three"}]),
        _evidence(_jpeg(_quadrants(400, 300)), ContentType.JPEG),
        _pdf_evidence([{"text": "Beta only page"}]),
        _evidence(_png(_quadrants(200, 300)), ContentType.PNG),
    ]
    pdf, counts = annex_pdf(items)

    assert counts == [3, 1, 1, 1]
    assert counts == [evidence_page_count(item) for item in items]
    texts = _page_texts(_write(tmp_path, pdf))
    assert [text.strip() for text in texts] == [
        "Alpha page one",
        "Alpha page two",
        "Alpha page three",
        "",
        "Beta only page",
        "",
    ]


def test_pdf_pages_keep_their_size_rotation_and_crop_box(tmp_path):
    """Letter, A3 landscape, a /Rotate 90 and 270 page and a crop box come out exactly as they went in."""
    pages = [
        {"text": "Letter page", "size": LETTER},
        {"text": "A3 landscape page", "size": A3_LANDSCAPE},
        {"text": "Rotated page", "rotate": 90},
        {"text": "Rotated back page", "size": LETTER, "rotate": 270},
        {"text": "Cropped page", "cropbox": (50, 60, 500, 700)},
    ]
    pdf, counts = annex_pdf([_pdf_evidence(pages)])

    assert counts == [5]
    path = _write(tmp_path, pdf)
    assert _pdfinfo_pages(path) == [
        (612, 792, 0),
        (1190.55, 841.89, 0),
        (595.276, 841.89, 90),
        (612, 792, 270),
        (450, 640, 0),  # pdfinfo gives the crop box: what a reader shows
    ]
    assert [text.strip() for text in _page_texts(path)] == [spec["text"] for spec in pages]


def test_pictures_land_on_a4_pages_portrait_or_landscape_as_they_are_shown(tmp_path):
    """Wider than tall → landscape A4; taller (also through EXIF orientation 6) → portrait A4."""
    items = [
        _evidence(_jpeg(_quadrants(640, 480)), ContentType.JPEG),  # landscape
        _evidence(_jpeg(_quadrants(640, 480), orientation=6), ContentType.JPEG),  # stored wide, shown tall
        _evidence(_png(_quadrants(300, 500)), ContentType.PNG),  # portrait
        _evidence(_png(_quadrants(50, 20)), ContentType.PNG),  # tiny: scaled up to fit, still landscape
    ]
    pdf, counts = annex_pdf(items)

    assert counts == [1, 1, 1, 1]
    assert _pdfinfo_pages(_write(tmp_path, pdf)) == [
        (841.89, 595.276, 0),
        (595.276, 841.89, 0),
        (595.276, 841.89, 0),
        (841.89, 595.276, 0),
    ]


def test_picture_is_centred_and_fits_within_the_margins(tmp_path):
    """The picture keeps its aspect ratio, touches the margins on its longer side, and is centred."""
    pdf, _ = annex_pdf([_evidence(_png(_quadrants(400, 100)), ContentType.PNG)])
    page = _render(_write(tmp_path, pdf), 1, dpi=72)  # 1 px = 1 pt
    left, top, right, bottom = ImageOps.invert(page).getbbox()
    margin = 15 * 72 / 25.4
    assert abs(left - margin) <= 2 and abs(page.width - right - margin) <= 2
    assert abs((right - left) / (bottom - top) - 4) < 0.1
    assert abs(top - (page.height - bottom)) <= 2


@pytest.mark.parametrize("orientation", range(1, 9))
def test_jpeg_exif_orientation_is_applied_as_a_phone_shows_the_photo(tmp_path, orientation):
    """Every EXIF orientation: the page shows what PIL.ImageOps.exif_transpose shows."""
    stored = _quadrants(360, 240)
    data = _jpeg(stored, orientation=orientation)
    expected = _quadrant_colours(ImageOps.exif_transpose(Image.open(io.BytesIO(data))))

    pdf, _ = annex_pdf([_evidence(data, ContentType.JPEG)])
    shown = _quadrant_colours(_render(_write(tmp_path, pdf), 1))

    assert all(_close(a, b) for a, b in zip(shown, expected, strict=True)), (shown, expected)


def test_jpeg_goes_in_as_it_is_without_its_exif_metadata(tmp_path):
    """DCTDecode with the original scan data byte for byte (not re-encoded); EXIF (camera, GPS) left out."""
    data = _jpeg(_quadrants(320, 200), orientation=6)
    pdf, _ = annex_pdf([_evidence(data, ContentType.JPEG)])

    [image] = _image_xobjects(pdf, 0)
    assert image["/Filter"] == "/DCTDecode"
    embedded = image.get_data()
    start_of_scan = data.index(b"\xff\xda")
    assert embedded.endswith(data[start_of_scan:])
    assert b"PhoneMaker" in data and b"PhoneMaker" not in embedded
    assert b"Exif" not in embedded
    assert (image["/Width"], image["/Height"]) == (320, 200)


@pytest.mark.parametrize("mode", ["L", "CMYK"])
def test_grey_and_cmyk_jpegs_keep_their_colours(tmp_path, mode):
    """A greyscale JPEG is DeviceGray; an Adobe CMYK JPEG (inverted values) shows its colours right."""
    source = _quadrants(200, 160, mode)
    pdf, _ = annex_pdf([_evidence(_jpeg(source), ContentType.JPEG)])

    [image] = _image_xobjects(pdf, 0)
    assert image["/Filter"] == "/DCTDecode"
    shown = _quadrant_colours(_render(_write(tmp_path, pdf), 1))
    if mode == "L":
        expected = _quadrant_colours(source.convert("RGB"))
        assert all(_close(a, b) for a, b in zip(shown, expected, strict=True)), (shown, expected)
    else:
        # Poppler converts CMYK with its own formula; inverted values would turn red into cyan and so on.
        assert [_nearest(colour) for colour in shown] == [RED, GREEN, BLUE, YELLOW], shown


@pytest.mark.parametrize("mode", ["RGB", "L", "P", "I;16"])
def test_opaque_png_keeps_its_compressed_pixels_and_colours(tmp_path, mode):
    """RGB, grey, palette and 16-bit grey PNGs go in with their own Flate data (PNG predictor)."""
    source = _quadrants(120, 90, "RGB")
    if mode == "I;16":
        grey = source.convert("L")
        image = Image.frombytes(
            "I;16",
            source.size,
            b"".join((value * 257).to_bytes(2, "little") for value in grey.get_flattened_data()),
        )
        expected = _quadrant_colours(grey.convert("RGB"))
    else:
        image = source.convert(mode)
        expected = _quadrant_colours(image.convert("RGB"))
    pdf, _ = annex_pdf([_evidence(_png(image), ContentType.PNG)])

    [xobject] = _image_xobjects(pdf, 0)
    assert xobject["/Filter"] == "/FlateDecode"
    assert xobject["/DecodeParms"]["/Predictor"] == 15
    assert xobject["/BitsPerComponent"] == (16 if mode == "I;16" else 8)
    shown = _quadrant_colours(_render(_write(tmp_path, pdf), 1))
    assert all(_close(a, b) for a, b in zip(shown, expected, strict=True)), (shown, expected)


def test_png_with_transparency_is_shown_on_white(tmp_path):
    """Transparent pixels (black underneath) show white, as the PNG does on a page; opaque ones keep colour."""
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((220, 30, 30, 255), (100, 0, 200, 100))
    image.paste((30, 60, 220, 128), (0, 0, 50, 100))  # half transparent blue → light blue on white
    pdf, counts = annex_pdf([_evidence(_png(image), ContentType.PNG)])

    assert counts == [1]
    path = _write(tmp_path, pdf)
    assert _pdfinfo_pages(path) == [(841.89, 595.276, 0)]
    page = _render(path, 1, dpi=72)
    margin = 15 * 72 / 25.4
    width = page.width - 2 * margin
    height = width / 2
    top = (page.height - height) / 2
    at = lambda fx, fy: page.getpixel((int(margin + width * fx), int(top + height * fy)))  # noqa: E731
    assert _close(at(0.37, 0.5), (255, 255, 255), 5)  # transparent
    assert _close(at(0.75, 0.5), (220, 30, 30))  # opaque red
    assert _close(at(0.12, 0.5), (142, 157, 237))  # half-transparent blue on white


def test_evidence_page_count_is_the_pdf_pages_or_one_for_a_picture():
    """The index can be numbered from the rows alone: a PDF's stored page count, one page for a picture."""
    assert evidence_page_count(Evidence(content_type=ContentType.PDF, page_count=7)) == 7
    assert evidence_page_count(Evidence(content_type=ContentType.JPEG, page_count=1)) == 1
    assert evidence_page_count(Evidence(content_type=ContentType.PNG, page_count=1)) == 1


# --- stamp_pages ---------------------------------------------------------------------------------


def test_stamp_label_has_the_page_number_and_code_in_bangla_digits():
    """The stamp text: the word পৃষ্ঠা, the page number and the bracketed code, all in Bangla digits."""
    assert stamp_label(123, "1.2.2") == "পৃষ্ঠা ১২৩ · [১.২.২]"
    assert stamp_label(7, " 10.1.3 ") == "পৃষ্ঠা ৭ · [১০.১.৩]"


def test_every_page_carries_its_stamp_exactly_once_and_keeps_its_own_text(tmp_path):
    """pdftotext finds each page's label once, on that page, in page order; the evidence text is intact."""
    items = [
        _pdf_evidence([{"text": f"Minutes page {n}"} for n in range(1, 4)]),
        _evidence(_jpeg(_quadrants(400, 300), orientation=8), ContentType.JPEG),
        _evidence(_png(_quadrants(200, 300)), ContentType.PNG),
    ]
    pdf, counts = annex_pdf(items)
    stamps = [stamp_label(number, "1.2.2") for number in range(9, 9 + sum(counts))]
    stamped = stamp_pages(pdf, stamps)

    texts = _page_texts(_write(tmp_path, stamped))
    assert len(texts) == 5
    for number, text in enumerate(texts, start=9):
        label = stamp_label(number, "1.2.2")
        assert text.count("পৃষ্ঠা") == 1, text
        assert label in text, (label, text)
    for number in range(1, 4):
        assert f"Minutes page {number}" in texts[number - 1]


def test_stamp_is_upright_in_the_displayed_top_right_corner_of_any_page(tmp_path):
    """A4, Letter, A3 landscape, /Rotate 90/180/270, a crop box: the label reads left to right, inside
    the page as shown, near its top-right corner."""
    pages = [
        {"text": "A4", "size": A4},
        {"text": "Letter", "size": LETTER},
        {"text": "A3", "size": A3_LANDSCAPE},
        {"text": "R90", "rotate": 90},
        {"text": "R180", "size": LETTER, "rotate": 180},
        {"text": "R270", "size": A3_LANDSCAPE, "rotate": 270},
        {"text": "Crop", "cropbox": (100, 150, 400, 600)},
        {"text": "Small", "size": (200, 120)},  # narrower than the label page: the label is shrunk
    ]
    pdf, _ = annex_pdf([_pdf_evidence(pages)])
    stamps = [stamp_label(number, "3.1.1") for number in range(1, len(pages) + 1)]
    path = _write(tmp_path, stamp_pages(pdf, stamps))

    for number, (width, height, rotation) in enumerate(_pdfinfo_pages(path), start=1):
        shown_w, shown_h = (height, width) if rotation in (90, 270) else (width, height)
        # pdftotext -bbox measures from the top-left of the media box as shown; the crop box is inside it.
        left, top = 0.0, 0.0
        if crop := pages[number - 1].get("cropbox"):
            left, top = crop[0], A4[1] - crop[3]
        words = [w for w in _words(path, number) if w[0] not in pages[number - 1]["text"]]
        assert [w[0] for w in words] == ["পৃষ্ঠা", to_bangla_digits(number), "·", "[৩.১.১]"], words
        xs = [w[1] for w in words]
        assert xs == sorted(xs), f"page {number}: not left to right: {words}"
        for _, x0, y0, x1, y1 in words:
            assert left <= x0 < x1 <= left + shown_w and top <= y0 < y1 <= top + shown_h, (number, words)
            assert y1 - y0 < 20, f"page {number}: not horizontal: {words}"
        assert words[-1][3] > left + 0.9 * shown_w - 20, f"page {number}: not at the right: {words}"
        assert max(w[4] for w in words) < top + min(0.1 * shown_h + 20, shown_h), (
            f"page {number}: not at the top"
        )


def test_stamp_has_a_white_box_that_hides_what_is_under_it(tmp_path):
    """On a black page the label's box is white: it stays readable on dark scans."""
    writer = PdfWriter()
    page = writer.add_blank_page(*A4)
    content = DecodedStreamObject()
    content.set_data(b"0 0 0 rg 0 0 595.276 841.89 re f")
    page[NameObject("/Contents")] = writer._add_object(content)
    buffer = io.BytesIO()
    writer.write(buffer)

    path = _write(tmp_path, stamp_pages(buffer.getvalue(), [stamp_label(5, "1.1.1")]))
    image = _render(path, 1, dpi=72)
    # The top-right corner (1 px = 1 pt), without the last column: 595.276 pt make a partly covered pixel.
    label = image.crop((image.width - 121, 0, image.width - 1, 40))
    left, top, right, bottom = label.convert("L").point(lambda v: 255 if v > 200 else 0).getbbox()
    assert right > label.width - 20 and top < 20  # near the corner
    assert 40 < right - left < 110 and 8 < bottom - top < 20  # a label-sized white box
    assert image.getpixel((image.width // 2, image.height // 2)) == (0, 0, 0)


def test_stamps_start_at_first_index_and_none_leaves_a_page_unstamped(tmp_path):
    """stamps[i] goes on page first_index + i; pages before, after and where the stamp is None get none."""
    pdf = text_pdf(*(f"Page {n}" for n in range(1, 6)), size=A4)
    stamped = stamp_pages(pdf, [stamp_label(12, "1.1.1"), None, stamp_label(14, "1.1.1")], first_index=1)

    texts = _page_texts(_write(tmp_path, stamped))
    assert ["পৃষ্ঠা" in text for text in texts] == [False, True, False, True, False]
    assert "পৃষ্ঠা ১২ · [১.১.১]" in texts[1] and "পৃষ্ঠা ১৪ · [১.১.১]" in texts[3]


def test_no_stamp_at_all_returns_the_pdf_unchanged():
    """Nothing to stamp: the very same bytes come back (no WeasyPrint run, no rewrite)."""
    pdf = text_pdf("One", "Two", size=A4)
    assert stamp_pages(pdf, [None, None]) == pdf
    assert stamp_pages(pdf, []) == pdf


def test_more_stamps_than_pages_is_an_error():
    """Stamps that would run past the last page (or start before the first) are refused, not dropped."""
    pdf = text_pdf("One", "Two", size=A4)
    with pytest.raises(ValueError):
        stamp_pages(pdf, ["a", "b"], first_index=1)
    with pytest.raises(ValueError):
        stamp_pages(pdf, ["a"], first_index=-1)


def test_evidence_content_streams_are_kept_byte_for_byte():
    """Stamping adds a stream before and after the page's own; it does not rewrite (or re-compress) it."""
    pdf = text_pdf("Signed order", {"text": "Second page", "rotate": 90}, size=A4)
    before = [page.get_contents().get_data() for page in PdfReader(io.BytesIO(pdf)).pages]
    stamped = PdfReader(io.BytesIO(stamp_pages(pdf, [stamp_label(1, "1.1.1"), stamp_label(2, "1.1.1")])))

    for page, own in zip(stamped.pages, before, strict=True):
        streams = [stream.get_object().get_data() for stream in page["/Contents"]]
        assert len(streams) == 3
        assert streams[0].strip() == b"q"
        assert streams[1] == own
        assert streams[2].lstrip().startswith(b"Q")


def test_the_same_label_twice_is_rendered_once():
    """Labels are rendered per distinct text; two pages with the same label share one Form XObject."""
    pdf = text_pdf("One", "Two", size=A4)
    stamped = PdfReader(io.BytesIO(stamp_pages(pdf, ["[১.১.১]", "[১.১.১]"])))
    forms = [
        page["/Resources"]["/XObject"]["/ApaAnnexStamp"].indirect_reference.idnum for page in stamped.pages
    ]
    assert forms[0] == forms[1]


def test_stamp_does_not_collide_with_an_xobject_of_the_same_name():
    """A page that already uses /ApaAnnexStamp keeps its own XObject; the new label gets another name."""
    once = stamp_pages(text_pdf("First", size=A4), [stamp_label(1, "1.1.1")])
    twice = PdfReader(io.BytesIO(stamp_pages(once, [stamp_label(2, "1.1.1")])))

    page = twice.pages[0]
    xobjects = page["/Resources"]["/XObject"]
    assert sorted(xobjects) == ["/ApaAnnexStamp", "/ApaAnnexStamp1"]
    assert xobjects.raw_get("/ApaAnnexStamp") != xobjects.raw_get("/ApaAnnexStamp1")
    last = page["/Contents"][-1].get_object().get_data()
    assert b"/ApaAnnexStamp1 Do" in last


def test_labels_are_rendered_one_page_each_if_the_sheet_is_not_as_expected(tmp_path, monkeypatch, caplog):
    """Should WeasyPrint stop drawing each label as its own Form XObject, stamping still works (slower)."""
    monkeypatch.setattr(annex, "_sheet_rows", lambda sheet: [])
    pdf = text_pdf("One", {"text": "Two", "rotate": 90}, size=A4)
    stamped = stamp_pages(pdf, [stamp_label(1, "2.1.1"), stamp_label(2, "2.1.1")])

    texts = _page_texts(_write(tmp_path, stamped))
    assert "পৃষ্ঠা ১ · [২.১.১]" in texts[0] and "পৃষ্ঠা ২ · [২.১.১]" in texts[1]
    assert "one page per label" in caplog.text


def test_more_labels_than_fit_one_sheet(tmp_path):
    """Labels beyond the first sheet land on their own pages too (the sheet boundary is not off by one)."""
    count = annex.LABELS_PER_SHEET + 3
    pdf = text_pdf(*(f"P{n}" for n in range(count)), size=A4)
    stamped = stamp_pages(pdf, [stamp_label(n, "1.1.1") for n in range(1, count + 1)])

    texts = _page_texts(_write(tmp_path, stamped))
    for number in (1, annex.LABELS_PER_SHEET, annex.LABELS_PER_SHEET + 1, count):
        assert stamp_label(number, "1.1.1") in texts[number - 1]
        assert texts[number - 1].count("পৃষ্ঠা") == 1


# --- with evidence attached through the service ------------------------------------------------------


def test_attached_evidence_makes_the_stamped_annex(demo, tmp_path):
    """Evidence attached with evidence_attach, in index order: page counts agree and every page is stamped."""
    indicator = demo.indicators.get(code="1.2.2")
    files = [
        ("কার্যবিবরণী", text_pdf("Meeting minutes", "Attendance", size=A4), "minutes.pdf"),
        ("প্রশিক্ষণের ছবি", _jpeg(_quadrants(800, 600), orientation=6), "photo.jpg"),
        ("স্ক্রিনশট", _png(_quadrants(300, 200)), "screen.png"),
    ]
    for title, data, name in files:
        evidence_attach(indicator=indicator, title=title, data=data, original_name=name, quarter=1)
    items = list(Evidence.objects.filter(indicator=indicator).order_by("position"))

    pdf, counts = annex_pdf(items)
    assert counts == [evidence_page_count(item) for item in items] == [2, 1, 1]
    first_page = 21
    stamps = [stamp_label(first_page + i, indicator.code) for i in range(sum(counts))]
    path = _write(tmp_path, stamp_pages(pdf, stamps))

    assert [(w, h) for w, h, _ in _pdfinfo_pages(path)] == [A4, A4, A4, (841.89, 595.276)]
    texts = _page_texts(path)
    assert [stamp_label(first_page + i, "1.2.2") in text for i, text in enumerate(texts)] == [True] * 4
    assert "Meeting minutes" in texts[0] and "Attendance" in texts[1]


def test_front_pages_go_before_the_evidence_and_are_not_counted(tmp_path):
    """annex_pdf(front=…) assembles a whole report in one pass: generated pages first (their outline and
    title kept), then the evidence; stamping from first_index leaves the generated pages alone."""
    from reports.pdf import html_to_pdf

    front = html_to_pdf("<title>বার্ষিক প্রতিবেদন</title><h1>ভূমিকা</h1><p>প্রথম পাতা</p>")
    items = [_pdf_evidence([{"text": "Order one"}, {"text": "Order two"}])]
    pdf, counts = annex_pdf(items, front=front)

    assert counts == [2]
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 3
    assert reader.metadata.title == "বার্ষিক প্রতিবেদন"
    assert [item.title for item in reader.outline] == ["ভূমিকা"]
    path = _write(
        tmp_path, stamp_pages(pdf, [stamp_label(2, "1.1.1"), stamp_label(3, "1.1.1")], first_index=1)
    )
    texts = _page_texts(path)
    assert "ভূমিকা" in texts[0] and "পৃষ্ঠা ১" not in texts[0] and "· [" not in texts[0]
    assert stamp_label(2, "1.1.1") in texts[1] and "Order one" in texts[1]
    assert stamp_label(3, "1.1.1") in texts[2] and "Order two" in texts[2]


# --- issue 15.6: identical files embedded once, stamps in the same pass -----------------------------------


def _same_file(data: bytes, content_type: str, pages: int = 1) -> Evidence:
    evidence = _evidence(data, content_type, pages)
    evidence.sha256 = hashlib.sha256(data).hexdigest()
    return evidence


def _image_objects(pdf: bytes) -> set[int]:
    reader = PdfReader(io.BytesIO(pdf))
    found = set()
    for page in reader.pages:
        xobjects = page["/Resources"].get_object().get("/XObject")
        if xobjects is None:
            continue
        for reference in xobjects.get_object().values():
            if reference.get_object().get("/Subtype") == "/Image":
                found.add(reference.idnum)
    return found


def test_a_file_attached_twice_is_embedded_once(tmp_path):
    photo = _jpeg(_quadrants(600, 400))
    scan = text_pdf("Scan page 1", "Scan page 2", size=A4)
    once, once_counts = annex_pdf([_same_file(photo, ContentType.JPEG), _same_file(scan, ContentType.PDF, 2)])
    twice, counts = annex_pdf(
        [
            _same_file(photo, ContentType.JPEG),
            _same_file(scan, ContentType.PDF, 2),
            _same_file(photo, ContentType.JPEG),
            _same_file(scan, ContentType.PDF, 2),
        ]
    )
    assert (once_counts, counts) == ([1, 2], [1, 2, 1, 2])
    assert len(_image_objects(twice)) == 1  # both photo pages draw the one image
    assert len(twice) < len(once) + 3000  # a few page dictionaries more, not a second copy of the files
    texts = _page_texts(_write(tmp_path, twice))
    assert [("Scan page 2" in text) for text in texts] == [False, False, True, False, False, True]


def test_annex_pdf_stamps_each_page_as_it_is_added(tmp_path):
    items = [
        _pdf_evidence([{"text": "A"}, {"text": "B"}]),
        _evidence(_png(_quadrants(300, 200)), ContentType.PNG),
    ]
    front = text_pdf("Front", size=A4)
    stamps = [stamp_label(2, "1.1.1"), None, stamp_label(4, "2.1.1")]
    pdf, counts = annex_pdf(items, front=front, stamps=stamps)
    assert counts == [2, 1]
    pages = _page_texts(_write(tmp_path, pdf))
    assert "পৃষ্ঠা" not in pages[0] and "পৃষ্ঠা" not in pages[2]
    assert "পৃষ্ঠা ২" in pages[1] and "পৃষ্ঠা ৪" in pages[3] and "[২.১.১]" in pages[3]
