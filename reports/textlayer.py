"""The text layer: every PDF viewer gives back the Bangla of our reports (DESIGN.md §6 "Text layer",
"Readable in every viewer").

Why
---
WeasyPrint writes one ToUnicode value per glyph, taken from the first cluster the glyph was drawn in.
Shaped Bangla breaks that model: a conjunct is one glyph for several characters, the vowel sign ি is drawn
*before* its consonant, a reph is drawn after the consonant it precedes, and the same glyph stands for
different text in different words. Extracted text is then garbled: about 30 % of the words of a report
come back, in every engine. Marked content (``/ActualText``) fixes Poppler only: PDFium splits words at
the span edges, MuPDF doubles syllables and pdf.js ignores it altogether.

The construction
----------------
Each line keeps the glyphs WeasyPrint draws, byte for byte (the pages stay pixel-identical), and gets a
second, invisible run of text (render mode ``3 Tr``) over it, in logical Unicode order: one character
code per shaped cluster (or space), whose advance is exactly that cluster's advance on the line, in the
font ``/ApaTextLayer`` (:mod:`reports.textfont`), whose ToUnicode gives each code the cluster's own text.
The visible fonts' ToUnicode maps their glyphs to U+FFFE, which every engine drops, so each word is read
once, from the invisible run, in order, at the place it is shown: search highlights and selection land on
the visible words. What every engine honours is ToUnicode and glyph positions, nothing else.

How
---
:func:`install` wraps :func:`weasyprint.draw.text.draw_first_line`, which draws one line of a text box as
``Tf``/``TJ``/``Ts`` operators into a pydyf stream. After the original has drawn the line, the wrapper
re-reads the line's Pango glyph items (``pango_layout_get_line_readonly``): each glyph's ``log_clusters``
entry is the byte offset of its cluster in the UTF-8 text; it computes each cluster's advance the way
``draw_first_line`` moved the pen (the same integer kerning), and appends
``Tm 3 Tr /ApaTextLayer size Tf [<cids>] TJ 0 Tr`` inside the same text object. A cluster with no advance
(a mark or a joiner Pango put in a cluster of its own) shares the code of the cluster before it.
:func:`install` also wraps ``weasyprint.pdf.build_fonts_dictionary``, which writes the fonts once the
pages are drawn: there the CIDs handed out for the document become the font, and the visible fonts'
ToUnicode is made neutral.

Fail safe: a line whose glyphs cannot be read (right-to-left runs, bitmap fonts, an error) gets one code
for its whole text over its whole width, so its words still come back. The layer only appends operators:
WeasyPrint's own are never changed.

This depends on WeasyPrint internals (the names and signatures of ``draw_first_line`` and
``build_fonts_dictionary``, how ``draw_first_line`` computes glyph advances, Pango structures reached
through ``weasyprint.text.ffi``). :func:`install` refuses any WeasyPrint version other than
:data:`SUPPORTED_WEASYPRINT_VERSIONS`; the extraction tests in ``tests/reports/test_textlayer.py`` and
``tests/reports/test_viewers.py`` are the guard when upgrading.
"""

from __future__ import annotations

import inspect
import logging
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable
from typing import Any

import weasyprint
import weasyprint.draw.text as weasyprint_draw_text
import weasyprint.pdf as weasyprint_pdf
from weasyprint.text.ffi import FROM_UNITS, ffi, pango

from reports import textfont

logger = logging.getLogger(__name__)

#: WeasyPrint versions whose ``draw_first_line`` this module has been checked against.
SUPPORTED_WEASYPRINT_VERSIONS: frozenset[str] = frozenset({"70.0"})

#: Counters of what the layer did, for tests and diagnostics: ``lines`` seen, ``clusters`` written,
#: ``fallback:<reason>`` lines given one code for their whole text.
stats: Counter[str] = Counter()

_lock = threading.Lock()
_originals: dict[str, Callable[..., Any]] = {}

#: The CIDs of each document being drawn, by the identity of its fonts dictionary (``stream._fonts``,
#: one per document, shared by its pages and forms); taken out when the document's fonts are written.
_tables: dict[int, textfont.CidTable] = {}

# PangoGlyphInfo is {guint32 glyph; {gint32 width, x_offset, y_offset} geometry; guint attr bitfield}.
_GLYPH_INFO_SIZE = ffi.sizeof("PangoGlyphInfo")
_GLYPH_INFO_INTS = _GLYPH_INFO_SIZE // 4


class TextLayerUnsupported(RuntimeError):
    """The installed WeasyPrint is not a version the text layer was checked against."""


def install() -> None:
    """Wrap WeasyPrint's line drawing and font writing with the text layer; calling it again does nothing."""
    with _lock:
        if _originals:
            return
        if weasyprint.__version__ not in SUPPORTED_WEASYPRINT_VERSIONS:
            raise TextLayerUnsupported(
                f"reports.textlayer supports WeasyPrint {', '.join(sorted(SUPPORTED_WEASYPRINT_VERSIONS))}, "
                f"found {weasyprint.__version__}.  The layer relies on WeasyPrint internals "
                "(weasyprint.draw.text.draw_first_line, weasyprint.pdf.build_fonts_dictionary and the PDF "
                "operators they write): check it against the new version, run tests/reports/test_textlayer.py "
                "and tests/reports/test_viewers.py, then add the version to SUPPORTED_WEASYPRINT_VERSIONS."
            )
        original_draw = weasyprint_draw_text.draw_first_line
        original_fonts = weasyprint_pdf.build_fonts_dictionary
        _check_internals(original_draw, original_fonts)
        _originals.update(draw=original_draw, fonts=original_fonts)

        def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
            start = len(stream.stream)
            emojis = original_draw(stream, textbox, text_overflow, block_ellipsis, matrix)
            if len(stream.stream) > start:
                _add_invisible_run(stream, textbox, matrix)
            return emojis

        def build_fonts_dictionary(pdf, fonts, compress, subset, options):
            pdf_fonts = original_fonts(pdf, fonts, compress, subset, options)
            table = _tables.pop(id(fonts), None)
            if table is not None:
                textfont.neutralise_visible_fonts(pdf, pdf_fonts, fonts)
                pdf_fonts[textfont.FONT_NAME] = textfont.add_layer_font(pdf, table, compress=compress)
            return pdf_fonts

        draw_first_line.__wrapped__ = original_draw  # type: ignore[attr-defined]
        build_fonts_dictionary.__wrapped__ = original_fonts  # type: ignore[attr-defined]
        # draw_text() looks the name up in its module at each call, and svg/text.py imports it at call
        # time, so replacing the module attribute covers every text WeasyPrint draws; generate_pdf() looks
        # build_fonts_dictionary up in weasyprint.pdf's namespace.
        weasyprint_draw_text.draw_first_line = draw_first_line
        weasyprint_pdf.build_fonts_dictionary = build_fonts_dictionary


def _check_internals(draw_first_line: Callable[..., Any], build_fonts_dictionary: Callable[..., Any]) -> None:
    """Refuse to install when the WeasyPrint internals the layer reads are not what it was written for."""
    parameters = list(inspect.signature(draw_first_line).parameters)
    if parameters != ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"]:
        raise TextLayerUnsupported(f"weasyprint.draw.text.draw_first_line{parameters} has changed")
    parameters = list(inspect.signature(build_fonts_dictionary).parameters)
    if parameters != ["pdf", "fonts", "compress", "subset", "options"]:
        raise TextLayerUnsupported(f"weasyprint.pdf.build_fonts_dictionary{parameters} has changed")
    if (_GLYPH_INFO_SIZE, ffi.offsetof("PangoGlyphInfo", "geometry")) != (20, 4):
        raise TextLayerUnsupported("PangoGlyphInfo in weasyprint.text.ffi has changed")


def uninstall() -> None:
    """Restore WeasyPrint's own functions (tests compare output with and without the layer)."""
    with _lock:
        if not _originals:
            return
        weasyprint_draw_text.draw_first_line = _originals.pop("draw")
        weasyprint_pdf.build_fonts_dictionary = _originals.pop("fonts")
        _tables.clear()


def is_installed() -> bool:
    return bool(_originals)


# ---------------------------------------------------------------------------------------------------------
# One line
# ---------------------------------------------------------------------------------------------------------


def _add_invisible_run(stream, textbox, matrix) -> None:
    """Append the invisible run of the line ``draw_first_line`` just drew (inside its ``BT`` … ``ET``)."""
    stats["lines"] += 1
    table = _tables.get(id(stream._fonts))
    if table is None:
        table = _tables.setdefault(id(stream._fonts), textfont.CidTable())
    try:
        clusters, size, reason = _read_clusters(stream, textbox)
    except Exception:  # fail safe: a weaker text layer for one line beats no report
        logger.exception("text layer: line read as one piece: %r", getattr(textbox, "text", ""))
        clusters, size, reason = None, 0.0, "error"
    if clusters is None:
        stats[f"fallback:{reason}"] += 1
        size = float(textbox.style["font_size"])
        clusters = [(_line_text(textbox), float(textbox.width))]
    codes = _codes(table, clusters, size)
    if codes is None:
        stats["fallback:too many codes"] += 1
        return
    stats["clusters"] += len(codes) // 4
    stream.set_text_matrix(*matrix.values)
    stream.stream.append(b"3 Tr")
    # Through the stream's own method: it remembers the current font, and skips a Tf it thinks redundant.
    stream.set_font_size(textfont.FONT_NAME, size)
    stream.stream.append(b"<" + codes + b"> Tj 0 Tr")


def _codes(table: textfont.CidTable, clusters: list[tuple[str, float]], size: float) -> bytes | None:
    """The hex codes of the clusters, each (text, advance in text space): integer widths in 1/1000 of
    ``size`` whose running sum stays within half a unit of the exact one, so no drift builds up."""
    codes = []
    exact = 0.0  # where the line has got to, in 1/1000 of size
    placed = 0  # where the codes so far have got to
    scale = 1000 / size
    for cluster_text, advance in clusters:
        pieces = _pieces(cluster_text)
        spacing = [piece for piece in pieces if not _is_mark(piece)]
        step = advance * scale / len(spacing) if spacing else 0.0
        if not spacing:
            exact += advance * scale
        for text in pieces:
            if not _is_mark(text):
                exact += step
            width = round(exact) - placed
            cid = table.cid(text, width)
            if cid is None:
                return None
            placed += width
            codes.append(f"{cid:04x}")
    return "".join(codes).encode()


def _is_mark(text: str) -> bool:
    return unicodedata.category(text[0]) == "Mn"


def _pieces(text: str) -> list[str]:
    """The cluster's text cut into the codes it gets: each nonspacing mark (Mn) alone, each other
    character with the format characters (ZWJ, ZWNJ) before it."""
    pieces: list[str] = []
    pending = ""
    for character in text:
        category = unicodedata.category(character)
        if category == "Cf":
            pending += character
        elif category == "Mn":
            if pending:
                pieces.append(pending)
                pending = ""
            pieces.append(character)
        else:
            pieces.append(pending + character)
            pending = ""
    if pending:
        pieces.append(pending)
    return pieces


def _line_text(textbox) -> str:
    layout = textbox.pango_layout
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)
    utf8 = layout.text.encode()
    return utf8[line.start_index : line.start_index + line.length].decode(errors="replace") or textbox.text


def _read_clusters(stream, textbox) -> tuple[list[tuple[str, float]] | None, float, str]:
    """The clusters of the line just drawn in logical order, each (text, advance in text space units), and
    the font size to write them at; or ``None`` and the reason the line cannot be read."""
    layout = textbox.pango_layout
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)  # what draw_first_line drew
    utf8 = layout.text.encode()
    empty_glyph = pango.PANGO_GLYPH_EMPTY
    unknown_flag = pango.PANGO_GLYPH_UNKNOWN_FLAG
    clusters: list[list] = []  # [text, advance]
    size = 0.0
    previous_pango_font = None
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        if item.analysis.level % 2:
            return None, 0.0, "right-to-left text"
        if item.analysis.font != previous_pango_font:
            previous_pango_font = item.analysis.font
            font, font_size = stream.add_font(previous_pango_font)  # registered by the original: a lookup
            if font.bitmap:
                return None, 0.0, "bitmap font"
            if pango.pango_version() < 14802 or font.png:  # as draw_first_line does
                font_size = textbox.style["font_size"]
            size = size or font_size
            widths = font.widths
        glyph_string = glyph_item.glyphs
        num_glyphs = glyph_string.num_glyphs
        if not num_glyphs:
            continue
        # Read the PangoGlyphInfo array and log_clusters in bulk: a cffi attribute access per glyph
        # field costs more than all the rest of this function.
        log_clusters = ffi.unpack(glyph_string.log_clusters, num_glyphs)
        raw = ffi.buffer(glyph_string.glyphs, num_glyphs * _GLYPH_INFO_SIZE)
        glyph_ids = memoryview(raw).cast("I")[0::_GLYPH_INFO_INTS]
        geometry = memoryview(raw).cast("i")
        x_advances = geometry[1::_GLYPH_INFO_INTS]
        x_offsets = geometry[2::_GLYPH_INFO_INTS]
        offset = item.offset
        item_end = offset + item.length
        i = 0
        while i < num_glyphs:
            cluster_index = log_clusters[i]
            j = i + 1
            while j < num_glyphs and log_clusters[j] == cluster_index:
                j += 1
            cluster_end = offset + log_clusters[j] if j < num_glyphs else item_end
            if cluster_end <= offset + cluster_index:
                return None, 0.0, "clusters out of order"
            text = utf8[offset + cluster_index : cluster_end].decode()
            advance = 0.0  # in 1/1000 of font_size, as draw_first_line moves the pen
            for k in range(i, j):
                glyph_id = glyph_ids[k]
                width = x_advances[k]
                if glyph_id == empty_glyph:
                    advance += width / font_size
                    continue
                if glyph_id & unknown_flag:
                    glyph_id = font.missing.get(glyph_id - unknown_flag)
                    if glyph_id is None:
                        return None, 0.0, "unknown glyph"
                x_offset = x_offsets[k] / font_size
                logical_width = widths[glyph_id]
                kerning = logical_width + x_offset - width * 1000 * FROM_UNITS / font_size
                advance += x_offset + logical_width - int(kerning)
            advance *= font_size / 1000
            if clusters and (advance <= 0 or text in "\u200c\u200d") and not clusters[-1][0].isspace():
                clusters[-1][0] += text  # no advance of its own: it shares the previous cluster's code
                clusters[-1][1] += advance
            else:
                clusters.append([text, advance])
            i = j
    if not clusters:
        return None, 0.0, "no glyph"
    return [(text, advance) for text, advance in clusters], float(size), ""
