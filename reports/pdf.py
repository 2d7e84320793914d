"""HTML → PDF for every report: WeasyPrint, the project's own fonts and the text layer.

Every report goes through :func:`html_to_pdf`; nothing else in the project calls WeasyPrint to make a page.

Fonts (DESIGN.md §6 "Fonts")
----------------------------
The fonts ship in ``static/fonts/`` (Noto, OFL) and are declared here by ``@font-face`` rules whose URLs are
``file://`` URLs of those files, so a PDF looks the same on every machine.  (A character that none of them
has, an emoji or a symbol such as ✓, would still fall back to a font of the machine: keep to Bangla, Latin
and common punctuation; ``tests/reports/test_pdf.py`` checks with ``pdffonts``.)

Every font *file* has its own family name.  Template authors list a Bangla family first and the Latin one
of the same style after it; Pango takes each character from the first family that has it (the Bangla
files also have ASCII digits and punctuation, so those come from the Bangla font)::

    font-family: "APA Serif Bengali", "APA Serif";            /* body text, serif      */
    font-family: "APA Serif Bengali Bold", "APA Serif Bold";  /* bold, serif           */
    font-family: "APA Sans Bengali", "APA Sans";              /* sans                  */
    font-family: "APA Sans Bengali Bold", "APA Sans Bold";    /* bold, sans            */

=========================  ==============================
family                     file
=========================  ==============================
``APA Serif Bengali``      NotoSerifBengali-Regular.ttf
``APA Serif Bengali Bold`` NotoSerifBengali-Bold.ttf
``APA Serif``              NotoSerif-Regular.ttf
``APA Serif Bold``         NotoSerif-Bold.ttf
``APA Sans Bengali``       NotoSansBengali-Regular.ttf
``APA Sans Bengali Bold``  NotoSansBengali-Bold.ttf
``APA Sans``               NotoSans-Regular.ttf
``APA Sans Bold``          NotoSans-Bold.ttf
=========================  ==============================

Why not one family with ``font-weight`` or ``unicode-range`` faces, as the web stylesheet does: WeasyPrint
hands such faces to Fontconfig as one family, and same-family ``unicode-range`` subsets make it draw Latin
text with glyphs of the wrong file (DESIGN.md §6).  Bold is therefore chosen by *family*, not by
``font-weight``: ``font-weight: bold`` on a regular family draws the regular glyphs (WeasyPrint does not
synthesise bold), so give ``b``, ``strong``, ``th`` … a bold family in the template's stylesheet.  Text
with no ``font-family`` at all gets the serif families (a default in :func:`font_css`), never a font of
the machine.

Text layer (DESIGN.md §6 "Text layer")
--------------------------------------
:func:`html_to_pdf` installs :mod:`reports.textlayer` so that every viewer (Poppler, PDFium, MuPDF, pdf.js)
and copy/paste give back the Bangla source text, and writes tagged PDF.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

#: Folder of the shipped font files.
FONTS_DIR: Path = Path(settings.BASE_DIR) / "static" / "fonts"

#: CSS family name → font file in :data:`FONTS_DIR`.  One family per file, see the module docstring.
FONT_FAMILIES: dict[str, str] = {
    "APA Serif Bengali": "NotoSerifBengali-Regular.ttf",
    "APA Serif Bengali Bold": "NotoSerifBengali-Bold.ttf",
    "APA Serif": "NotoSerif-Regular.ttf",
    "APA Serif Bold": "NotoSerif-Bold.ttf",
    "APA Sans Bengali": "NotoSansBengali-Regular.ttf",
    "APA Sans Bengali Bold": "NotoSansBengali-Bold.ttf",
    "APA Sans": "NotoSans-Regular.ttf",
    "APA Sans Bold": "NotoSans-Bold.ttf",
}

#: Family lists for templates: Bangla first, then the Latin family of the same style.
SERIF = '"APA Serif Bengali", "APA Serif"'
SERIF_BOLD = '"APA Serif Bengali Bold", "APA Serif Bold"'
SANS = '"APA Sans Bengali", "APA Sans"'
SANS_BOLD = '"APA Sans Bengali Bold", "APA Sans Bold"'


def _font_face(family: str, filename: str) -> str:
    url = (FONTS_DIR / filename).as_uri()
    return f'@font-face {{ font-family: "{family}"; src: url("{url}") format("truetype"); }}'


#: The ``@font-face`` rules (``file://`` URLs of the shipped files), one family per file.
FONT_FACES_CSS: str = "\n".join(_font_face(family, filename) for family, filename in FONT_FAMILIES.items())

#: Keeps text on the shipped fonts when a template sets no family.  Given as a *user* stylesheet, so any
#: rule of the template itself wins.
_DEFAULTS_CSS = f"html {{ font-family: {SERIF}; }}"


def font_css() -> str:
    """The CSS every PDF is rendered with: :data:`FONT_FACES_CSS` plus the default families.

    :func:`html_to_pdf` adds it itself; a template may also inline it (``<style>``) when it is rendered
    by some other means, e.g. to preview a report in the browser from the same files.
    """
    return FONT_FACES_CSS + "\n" + _DEFAULTS_CSS


def render_document(html: str, *, base_url: str | None = None, counter_style=None):
    """Lay out and paginate ``html`` with the project's fonts (a WeasyPrint Document): ``.pages`` gives the
    page count before anything is drawn, ``.write_pdf()`` the bytes. Whatever text layer is installed (or
    none) applies when it is written."""
    # WeasyPrint (with Pango) is loaded when a page is first laid out, not when this module is imported:
    # about 0.45 s and 30 MB that a process which never renders (a web process with report jobs in a worker)
    # does without. The only imports inside functions in the project are these two.
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    # A FontConfiguration per document: WeasyPrint registers @font-face files into it (in a temporary
    # folder it owns), and sharing one between threads rendering at the same time is not supported.
    font_config = FontConfiguration()
    stylesheet = CSS(string=font_css(), font_config=font_config)
    return HTML(string=html, base_url=base_url).render(
        stylesheets=[stylesheet], font_config=font_config, counter_style=counter_style
    )


def write_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` with the project's fonts, with whatever text layer is installed (or none).

    Reports use :func:`html_to_pdf`; this is the part below it, kept separate so the tests and the
    benchmark can compare output with and without :mod:`reports.textlayer`.
    """
    return render_document(html, base_url=base_url).write_pdf()


def html_to_document(html: str, *, base_url: str | None = None, counter_style=None):
    """:func:`render_document` with the text layer (and tagged): what :func:`html_to_pdf` writes, laid out
    first so that a caller can read its page count. ``counter_style``: a WeasyPrint ``CounterStyle`` (the
    report's annex page numbers, ``reports.rendering``)."""
    from reports import textlayer  # it patches WeasyPrint, which it imports: loaded as late (render_document)

    textlayer.install()
    document = render_document(html, base_url=base_url, counter_style=counter_style)
    # Tagged PDF (a structure tree, /MarkInfo, marked content per element): screen readers and PDF/UA
    # checkers read the generated pages' structure. The text layer's invisible run is drawn inside each
    # line's marked content, so the structure carries it. Kept through the annex (reports.annex).
    write = document.write_pdf
    document.write_pdf = lambda *args, **options: write(*args, **{"pdf_tags": True, **options})
    return document


def html_to_pdf(html: str, *, base_url: str | None = None) -> bytes:
    """Render ``html`` to PDF bytes with the shipped fonts and the text layer, tagged.

    ``base_url`` resolves relative URLs in the HTML (images, stylesheets); give a ``file://`` folder URL
    for local files.  The fonts need none: their URLs are absolute.
    """
    return html_to_document(html, base_url=base_url).write_pdf()


@dataclass(frozen=True)
class RenderedPdf:
    """A generated document's PDF with its page count and SHA-256."""

    pdf: bytes
    pages: int
    sha256: str


def standalone_document(html: str):
    """A document that is not a report with an annex (minutes, the Smart Bangladesh plan, the review of child
    offices), laid out once with the text layer and tags, relative references resolved in the static folder
    (a WeasyPrint Document: ``reports.finishing`` reads where its signature block is before writing it)."""
    from django.contrib.staticfiles import finders

    base_url = Path(finders.find("css/report.css") or ".").resolve().parent.parent.as_uri() + "/"
    return html_to_document(html, base_url=base_url)


def render_standalone(html: str) -> RenderedPdf:
    """:func:`standalone_document` written as it is (no metadata, no signature: ``reports.finishing``)."""
    document = standalone_document(html)
    data = document.write_pdf()
    return RenderedPdf(pdf=data, pages=len(document.pages), sha256=hashlib.sha256(data).hexdigest())
