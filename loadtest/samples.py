"""Sample evidence files: a PDF of N pages and phone photos, for the `report-200` benchmark
(``make_sample_evidence``) and as the one shared evidence file of the load data (``loadgen.shared_file``).

Realistic rather than minimal, because the annex cost is in the bytes: a PDF of N pages in which two pages
of typeset text (Bangla and Latin, with fonts) alternate with one scanned page (a greyscale JPEG of about
150 dpi), and phone photos of about 1.5 MB (8 megapixels, half of them portrait through their EXIF
orientation, as phones store them). Deterministic: the same arguments write the same files. The text of
the typeset pages is data (``data/sample-evidence.json``).
"""

from __future__ import annotations

import functools
import io
import json
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader, PdfWriter

from reports.pdf import SERIF, html_to_pdf

TEXT_FILE = Path(__file__).resolve().parent / "data" / "sample-evidence.json"


@functools.cache
def _paragraphs() -> dict[str, str]:
    """The Bangla and the English paragraph of the typeset pages."""
    with TEXT_FILE.open(encoding="utf-8") as file:
        return json.load(file)


def sample_pdf(pages: int) -> bytes:
    """An N-page evidence PDF: pages 3, 6, 9 … are scans, the others typeset text."""
    css = (
        f"@page {{ size: A4; margin: 20mm; }} body {{ font: 11pt/1.5 {SERIF}; }}"
        "section { break-after: page; } h1 { font-size: 14pt; }"
    )
    paragraphs = _paragraphs()
    text_pages = [number for number in range(1, pages + 1) if number % 3]
    sections = "".join(
        f"<section><h1>প্রমাণক — পৃষ্ঠা {number}</h1>"
        + "".join(f"<p>{paragraphs['paragraph_bn']}</p><p>{paragraphs['paragraph_en']}</p>" for _ in range(6))
        + "</section>"
        for number in text_pages
    )
    text_pdf = PdfReader(io.BytesIO(html_to_pdf(f'<html lang="bn"><style>{css}</style>{sections}</html>')))

    scans = [_scan(number) for number in range(1, pages + 1) if number % 3 == 0]
    scan_pdf = None
    if scans:
        buffer = io.BytesIO()
        scans[0].save(buffer, "PDF", save_all=True, append_images=scans[1:], resolution=150, quality=70)
        scan_pdf = PdfReader(buffer)

    writer = PdfWriter()
    text_iter, scan_iter = iter(text_pdf.pages), iter(scan_pdf.pages if scan_pdf else [])
    for number in range(1, pages + 1):
        writer.add_page(next(scan_iter) if number % 3 == 0 else next(text_iter))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@functools.cache
def _paper() -> Image.Image:
    """Slightly noisy greyish paper, A4 at 150 dpi (made once: noise is the slow part)."""
    return Image.effect_noise((1240, 1754), 6).point(lambda v: min(255, v + 110))


def _scan(seed: int) -> Image.Image:
    """A greyscale A4 'scan' at 150 dpi: lines of dark word blobs, different on every page."""
    rng = random.Random(seed)
    page = _paper().copy()
    width, height = page.size
    draw = ImageDraw.Draw(page)
    y = 150
    while y < height - 150:
        x = 150
        while x < width - 150:
            word = rng.randint(30, 120)
            draw.rectangle((x, y, min(x + word, width - 150), y + 18), fill=rng.randint(20, 70))
            x += word + rng.randint(12, 20)
        y += rng.randint(34, 44)
    return page.filter(ImageFilter.BoxBlur(1))


@functools.cache
def _photo_background(width: int, height: int) -> Image.Image:
    """Colour gradients with sensor-like noise (made once; every photo draws its own shapes on it)."""
    red = Image.linear_gradient("L").resize((width, height))
    green = Image.effect_noise((width // 8, height // 8), 40).resize((width, height), Image.BICUBIC)
    blue = Image.effect_noise((width, height), 10)
    return Image.merge("RGB", (red, green, blue))


def sample_photo(seed: int, *, portrait: bool = False) -> bytes:
    """An 8-megapixel phone photo (3264 × 2448 stored) of about 1.3 MB; ``portrait`` sets EXIF orientation 6."""
    rng = random.Random(seed)
    width, height = 3264, 2448
    photo = _photo_background(width, height).rotate(rng.choice((0, 180)))
    draw = ImageDraw.Draw(photo)
    for _ in range(12):
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randint(100, 600)
        colour = (rng.randrange(256), rng.randrange(256), rng.randrange(256))
        draw.ellipse((x, y, x + size, y + size), fill=colour)
    exif = Image.Exif()
    exif[0x0112] = 6 if portrait else 1
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85, exif=exif.tobytes())
    return out.getvalue()
