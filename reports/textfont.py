"""The font of the invisible text run (:mod:`reports.textlayer`) and the neutral ToUnicode of the visible fonts.

The invisible run is drawn in text render mode 3 (neither filled nor stroked) with one font per PDF,
``/ApaTextLayer``: a Type 0 font over a CIDFontType2 whose program has a single blank glyph. Its CIDs are
handed out while the document is drawn, one per distinct (text, width) pair: each CID stands for one
shaped cluster (or a space) in ToUnicode and has the advance of that cluster in ``/W``, so that the
invisible characters lie exactly over the glyphs that show them. ``/CIDToGIDMap`` maps every CID to the
blank glyph. Every engine we measured (Poppler, PDFium, MuPDF, pdf.js, pdfminer, pypdf) reads text from
ToUnicode, so each CID gives back its own text wherever it is used, in logical order.

The visible glyphs, which WeasyPrint draws as it always does (pages stay pixel-identical), must then not
give back text of their own, or every word would be read twice, mixed into the invisible one: their
fonts' ToUnicode maps every glyph to a space (:data:`NEUTRAL_TEXT`). Measured: an empty mapping or a
noncharacter makes PDFium, MuPDF and pypdf fall back to the glyph number as a character; U+200B is kept and
glued into words; a space is dropped or merged into the word gaps by every engine (Poppler ends the
current word at a space, in drawing order: the visible glyphs of a line are drawn before its invisible run).
"""

from __future__ import annotations

import io
import zlib
from functools import cache

import pydyf
from fontTools.fontBuilder import FontBuilder
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

#: The resource name of the invisible run's font, the same on every page and Form XObject.
FONT_NAME = "ApaTextLayer"

#: The text each visible glyph carries in its font's ToUnicode: what every reader we measured reads as nothing.
NEUTRAL_TEXT = " "

#: Above this many CIDs a document's lines get no more invisible text (the CID space is 16-bit).
MAX_CIDS = 65000

#: Vertical metrics of the invisible font, in 1/1000 em: the band that selection highlights cover. Noto
#: Bengali reaches about this far above and below the baseline (a reph above, ু ৃ below).
ASCENT = 1000
DESCENT = -350


class CidTable:
    """The CIDs of one document: (text, width in 1/1000 em) → CID, in the order they were handed out."""

    __slots__ = ("by_key", "entries")

    def __init__(self) -> None:
        self.by_key: dict[tuple[str, int], int] = {}
        self.entries: list[tuple[str, int]] = [("", 0)]  # CID 0 (.notdef) is never used

    def cid(self, text: str, width: int) -> int | None:
        key = (text, width)
        cid = self.by_key.get(key)
        if cid is None:
            if len(self.entries) >= MAX_CIDS:
                return None
            cid = self.by_key[key] = len(self.entries)
            self.entries.append(key)
        return cid


#: The font's glyphs are bars of these widths (1/1000 em), from the descent to the ascent: a code is drawn
#: with the bar nearest its advance. See :func:`font_program`.
BAR_STEP = 10
BAR_COUNT = 201  # widths 0, 10, … 2000


def bar_glyph(width: int) -> int:
    """The glyph (GID) of the bar nearest ``width``."""
    return 1 + min(BAR_COUNT - 1, max(0, round(width / BAR_STEP)))


@cache
def font_program() -> bytes:
    """A TrueType font of bars: glyph 0 (.notdef) empty, glyph 1 + n a rectangle ``n * BAR_STEP`` wide.

    The glyphs are never painted (render mode 3), but a glyph's box is what PDFium (Chrome, Edge) takes for
    a character's box and for the extent of a text object: with the bar as wide as the code's advance, each
    character's box covers the visible cluster it stands for (search highlights and selections land on the
    words), and a one-character run is not dropped as having no extent (a blank glyph made PDFium lose
    every one-character line: page numbers, single digits in the table).
    """
    names = [".notdef"] + [f"bar{n * BAR_STEP}" for n in range(BAR_COUNT)]
    glyphs = {".notdef": TTGlyphPen(None).glyph()}
    for n in range(BAR_COUNT):
        pen = TTGlyphPen(None)
        right = n * BAR_STEP
        pen.moveTo((0, DESCENT))
        pen.lineTo((0, ASCENT))
        pen.lineTo((right, ASCENT))
        pen.lineTo((right, DESCENT))
        pen.closePath()
        glyphs[names[n + 1]] = pen.glyph()
    builder = FontBuilder(1000, isTTF=True)
    builder.setupGlyphOrder(names)
    builder.setupCharacterMap({0x20: names[1]})
    builder.setupGlyf(glyphs)
    builder.setupHorizontalMetrics(
        {name: (n * BAR_STEP if n else 0, 0) for n, name in enumerate(names[1:])} | {".notdef": (0, 0)}
    )
    builder.setupHorizontalHeader(ascent=ASCENT, descent=DESCENT)
    builder.setupNameTable({"familyName": FONT_NAME, "styleName": "Regular"})
    builder.setupOS2(sTypoAscender=ASCENT, sTypoDescender=DESCENT, usWinAscent=ASCENT, usWinDescent=-DESCENT)
    builder.setupPost()
    out = io.BytesIO()
    builder.save(out)
    return out.getvalue()


def _hex_text(text: str) -> str:
    return text.encode("utf-16-be").hex()


def to_unicode_cmap(items: list[tuple[int, str]]) -> list[bytes]:
    """A ToUnicode CMap (the lines of its stream) with one ``bfchar`` entry per (code, text)."""
    lines = [
        b"/CIDInit /ProcSet findresource begin",
        b"12 dict begin",
        b"begincmap",
        b"/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        b"/CMapName /Adobe-Identity-UCS def",
        b"/CMapType 2 def",
        b"1 begincodespacerange",
        b"<0000> <ffff>",
        b"endcodespacerange",
    ]
    for start in range(0, len(items), 100):
        batch = items[start : start + 100]
        lines.append(f"{len(batch)} beginbfchar".encode())
        lines.extend(f"<{code:04x}> <{_hex_text(text)}>".encode() for code, text in batch)
        lines.append(b"endbfchar")
    lines.extend([b"endcmap", b"CMapName currentdict /CMap defineresource pop", b"end", b"end"])
    return lines


def add_layer_font(pdf: pydyf.PDF, table: CidTable, *, compress: bool) -> bytes:
    """Write the invisible run's font for ``table`` into ``pdf``; its reference."""
    count = len(table.entries)
    program = font_program()
    font_file = pydyf.Stream([program], pydyf.Dictionary({"Length1": len(program)}), compress=compress)
    pdf.add_object(font_file)
    gids = b"".join(bar_glyph(width).to_bytes(2, "big") for _, width in table.entries)
    cid_to_gid = pydyf.Stream([zlib.compress(gids)], pydyf.Dictionary({"Filter": "/FlateDecode"}))
    pdf.add_object(cid_to_gid)
    to_unicode = pydyf.Stream(
        to_unicode_cmap(list(enumerate(t for t, _ in table.entries))[1:]), compress=compress
    )
    pdf.add_object(to_unicode)
    descriptor = pydyf.Dictionary(
        {
            "Type": "/FontDescriptor",
            "FontName": f"/{FONT_NAME}",
            "Flags": 4,
            "FontBBox": pydyf.Array([0, DESCENT, 1000, ASCENT]),
            "ItalicAngle": 0,
            "Ascent": ASCENT,
            "Descent": DESCENT,
            "CapHeight": 700,
            "StemV": 80,
            "FontFile2": font_file.reference,
        }
    )
    pdf.add_object(descriptor)
    widths = pydyf.Array()
    for start in range(1, count, 1000):
        widths.append(start)
        widths.append(pydyf.Array(width for _, width in table.entries[start : start + 1000]))
    cid_font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/CIDFontType2",
            "BaseFont": f"/{FONT_NAME}",
            "CIDSystemInfo": pydyf.Dictionary(
                {"Registry": pydyf.String("Adobe"), "Ordering": pydyf.String("Identity"), "Supplement": 0}
            ),
            "FontDescriptor": descriptor.reference,
            "DW": 0,
            "W": widths,
            "CIDToGIDMap": cid_to_gid.reference,
        }
    )
    pdf.add_object(cid_font)
    font = pydyf.Dictionary(
        {
            "Type": "/Font",
            "Subtype": "/Type0",
            "BaseFont": f"/{FONT_NAME}",
            "Encoding": "/Identity-H",
            "DescendantFonts": pydyf.Array([cid_font.reference]),
            "ToUnicode": to_unicode.reference,
        }
    )
    pdf.add_object(font)
    return font.reference


def neutralise_visible_fonts(pdf: pydyf.PDF, pdf_fonts: pydyf.Dictionary, fonts: dict) -> int:
    """Give every glyph of the fonts WeasyPrint wrote the text :data:`NEUTRAL_TEXT`; how many fonts.

    WeasyPrint keeps one ``Font`` per font file *and size*, each with the glyphs drawn with it, but writes
    one font dictionary per file (the last ``Font``'s ToUnicode): the neutral map covers the glyphs of all.
    """
    glyphs_by_hash: dict[str, set[int]] = {}
    for font in fonts.values():
        glyphs = glyphs_by_hash.setdefault(font.hash, set())
        if font.used_in_forms:  # WeasyPrint writes the whole font (and its whole cmap) for form fields
            glyphs.update(range(_glyph_count(font)))
        glyphs.update(font.to_unicode)
    done = 0
    for key, reference in list(pdf_fonts.items()):
        font = pdf.objects[int(reference.split()[0])]
        to_unicode_reference = font.get("ToUnicode")
        if to_unicode_reference is None or font.get("Subtype") != "/Type0":
            continue
        to_unicode = pdf.objects[int(to_unicode_reference.split()[0])]
        codes = sorted(glyphs_by_hash.get(key, ()))
        to_unicode.stream[:] = to_unicode_cmap([(code, NEUTRAL_TEXT) for code in codes])
        done += 1
    return done


def _glyph_count(font) -> int:
    return TTFont(io.BytesIO(font.file_content), fontNumber=font.index, lazy=True)["maxp"].numGlyphs
