"""``reports.pdf``: every report's HTML → PDF, with the shipped fonts only (DESIGN.md §6 "Fonts").

PDFs are inspected with Poppler (``pdffonts``, ``pdftotext``) and pypdf.  No database needed.
"""

from __future__ import annotations

import io
import re
import subprocess
from pathlib import Path
from urllib.parse import urlparse
from urllib.request import url2pathname

import pypdf
import pytest
from django.conf import settings
from fontTools.ttLib import TTFont
from PIL import Image

from reports import pdf, textfont, textlayer

FONTS_DIR = Path(settings.BASE_DIR) / "static" / "fonts"
FONT_FACE = re.compile(r'@font-face\s*{\s*font-family:\s*"([^"]+)";\s*src:\s*url\("([^"]+)"\)[^}]*}')
PDFFONTS_ROW = re.compile(r"^(\S+)\s+(.+?)\s+(\S+)\s+(yes|no)\s+(yes|no)\s+(yes|no)\s+\d+\s+\d+$")


def pdffonts(data: bytes, tmp_path: Path) -> list[dict[str, str]]:
    path = tmp_path / "fonts.pdf"
    path.write_bytes(data)
    output = subprocess.run(["pdffonts", str(path)], capture_output=True, check=True, text=True).stdout
    rows = []
    for line in output.splitlines()[2:]:
        match = PDFFONTS_ROW.match(line)
        assert match, line
        name, font_type, _encoding, embedded, subset, _unicode = match.groups()
        if name == textfont.FONT_NAME:  # the text layer's invisible font (tests/reports/test_textlayer.py)
            assert embedded == "yes", line
            continue
        # "ABCDEF+APA-Serif-Bengali-Bold,-Bold" → family "APA Serif Bengali Bold" (the weight after ",")
        family = name.split("+", 1)[-1].split(",", 1)[0].replace("-", " ")
        rows.append({"name": name, "family": family, "type": font_type, "emb": embedded, "sub": subset})
    return rows


def embedded_full_names(data: bytes) -> dict[str, str]:
    """Base font name → full name (name ID 4) of the font program embedded for it."""
    names = {}
    for page in pypdf.PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if font["/BaseFont"] == f"/{textfont.FONT_NAME}":  # the text layer's invisible font
                continue
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            program = TTFont(io.BytesIO(descriptor["/FontFile2"].get_object().get_data()))
            names[str(font["/BaseFont"])[1:]] = program["name"].getDebugName(4)
    return names


def full_name(filename: str) -> str:
    return TTFont(FONTS_DIR / filename)["name"].getDebugName(4)


def pdftotext(data: bytes, tmp_path: Path) -> str:
    path = tmp_path / "text.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True, text=True).stdout


def test_every_shipped_font_file_has_a_family_of_its_own():
    """One @font-face per file, each under its own family name and never split by unicode-range (same-family
    subsets make WeasyPrint draw Latin with glyphs of the wrong file)."""
    faces = FONT_FACE.findall(pdf.FONT_FACES_CSS)
    assert len(faces) == len(pdf.FONT_FACES_CSS.split("@font-face")) - 1
    families = [family for family, _ in faces]
    assert len(set(families)) == len(families) == 8
    assert {Path(url).name for _, url in faces} == {path.name for path in FONTS_DIR.glob("*.ttf")}
    assert dict(faces) == {family: (FONTS_DIR / name).as_uri() for family, name in pdf.FONT_FAMILIES.items()}
    assert "unicode-range" not in pdf.FONT_FACES_CSS


def test_font_urls_are_file_urls_of_the_project_fonts():
    """The fonts come from the project's static/fonts folder, never from the machine or the network."""
    for _, url in FONT_FACE.findall(pdf.FONT_FACES_CSS):
        parsed = urlparse(url)
        assert parsed.scheme == "file"
        path = Path(url2pathname(parsed.path))
        assert path.parent == FONTS_DIR.resolve()
        assert path.is_file()


def test_font_css_has_the_font_faces_and_a_default_family():
    css = pdf.font_css()
    assert css.startswith(pdf.FONT_FACES_CSS)
    assert f"html {{ font-family: {pdf.SERIF}; }}" in css


def test_html_to_pdf_returns_a_pdf_with_the_text_layer_installed():
    """html_to_pdf installs the text layer itself: no caller has to remember to."""
    textlayer.uninstall()
    data = pdf.html_to_pdf("<p>কর্মপরিকল্পনা</p>")
    assert data.startswith(b"%PDF-")
    assert textlayer.is_installed()
    reader = pypdf.PdfReader(io.BytesIO(data))
    assert b"3 Tr\n/ApaTextLayer" in b"".join(page.get_contents().get_data() for page in reader.pages)
    assert "/StructTreeRoot" in reader.root_object  # tagged


ALL_FAMILIES_HTML = "".join(
    f"<p style='font-family: {bangla}, {latin}'>বার্ষিক প্রতিবেদন myGov ২০২২-২৩ GPT-4</p>"
    for bangla, latin in [
        ('"APA Serif Bengali"', '"APA Serif"'),
        ('"APA Serif Bengali Bold"', '"APA Serif Bold"'),
        ('"APA Sans Bengali"', '"APA Sans"'),
        ('"APA Sans Bengali Bold"', '"APA Sans Bold"'),
    ]
)


def test_only_the_shipped_fonts_are_embedded(tmp_path):
    """pdffonts lists only our fonts, embedded and subset, whatever the HTML asks for."""
    data = pdf.html_to_pdf(
        ALL_FAMILIES_HTML
        + "<p>বার্ষিক Report</p>"  # no family: the default
        + "<table><tr><th>শিরোনাম</th><td style='font-family: serif'>মান value</td></tr></table>"
    )
    fonts = pdffonts(data, tmp_path)
    assert {font["family"] for font in fonts} <= set(pdf.FONT_FAMILIES)
    assert all(font["emb"] == "yes" and font["sub"] == "yes" for font in fonts), fonts
    shipped = {full_name(filename) for filename in pdf.FONT_FAMILIES.values()}
    assert set(embedded_full_names(data).values()) <= shipped


def test_each_family_draws_from_its_own_file(tmp_path):
    """Each of the eight families embeds the font program of the file it is declared with."""
    data = pdf.html_to_pdf(ALL_FAMILIES_HTML)
    fonts = pdffonts(data, tmp_path)
    assert {font["family"] for font in fonts} == set(pdf.FONT_FAMILIES)
    embedded = embedded_full_names(data)
    for font in fonts:
        assert embedded[font["name"]] == full_name(pdf.FONT_FAMILIES[font["family"]]), font


@pytest.mark.parametrize(
    ("families", "text", "expected"),
    [
        (pdf.SERIF, "myGov", {"APA Serif"}),
        (pdf.SERIF, "কর্মপরিকল্পনা", {"APA Serif Bengali"}),
        (pdf.SANS_BOLD, "myGov প্ল্যাটফর্মে GPT-4", {"APA Sans Bengali Bold", "APA Sans Bold"}),
    ],
)
def test_each_script_is_drawn_with_its_own_font(tmp_path, families, text, expected):
    """With a Bangla family first, Latin letters come from the Latin font, Bangla from the Bangla one.

    (Digits and ASCII punctuation are in the Bangla fonts too, so they come from the Bangla font.)
    """
    data = pdf.html_to_pdf(f"<p style='font-family: {families}'>{text}</p>")
    assert {font["family"] for font in pdffonts(data, tmp_path)} == expected
    assert pdftotext(data, tmp_path).strip() == text


def test_text_without_a_font_family_uses_the_shipped_serif_fonts(tmp_path):
    """A template that sets no family still never falls back to the machine's fonts."""
    data = pdf.html_to_pdf("<p>বার্ষিক প্রতিবেদন Annual Report</p>")
    assert {font["family"] for font in pdffonts(data, tmp_path)} == {"APA Serif Bengali", "APA Serif"}


def test_the_templates_font_family_wins_over_the_default(tmp_path):
    data = pdf.html_to_pdf(f"<style>body {{ font-family: {pdf.SANS} }}</style><p>বার্ষিক Report</p>")
    assert {font["family"] for font in pdffonts(data, tmp_path)} == {"APA Sans Bengali", "APA Sans"}


def test_base_url_resolves_relative_urls(tmp_path):
    """Relative URLs (images, stylesheets) resolve against base_url."""
    Image.new("RGB", (4, 4), "red").save(tmp_path / "seal.png")
    data = pdf.html_to_pdf('<img src="seal.png" style="width: 2cm">', base_url=tmp_path.as_uri() + "/")
    page = pypdf.PdfReader(io.BytesIO(data)).pages[0]
    assert len(page.images) == 1
