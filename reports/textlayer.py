"""The /ActualText text layer: Bangla in our PDFs comes back exactly from ``pdftotext`` and copy/paste.

Why (DESIGN.md §6 "Text layer")
-------------------------------
WeasyPrint writes one ToUnicode value per glyph, taken from the first cluster the glyph was drawn in.
Shaped Bangla breaks that model: a conjunct is one glyph for several characters, the vowel sign ি is drawn
*before* its consonant, a reph is drawn after the consonant it precedes, and the same glyph stands for
different text in different words (HarfBuzz even hands a cluster the glyph of a neighbouring mark).
Extracted text is then garbled: only about 30 % of the words of a report come back.

PDF readers (Poppler's ``pdftotext`` among them) honour marked content of the form
``/Span <</ActualText (text)>> BDC … EMC``: the glyphs inside stand for exactly that text.

How
---
:func:`install` wraps :func:`weasyprint.draw.text.draw_first_line`, which draws one line of a text box as
``Tf``/``TJ``/``Ts`` operators into a pydyf stream.  After the original has drawn the line, the wrapper

1. re-reads the line's Pango glyph items (``pango_layout_get_line_readonly``); each glyph's
   ``log_clusters`` entry is the byte offset of its cluster in the UTF-8 text of the layout;
2. groups glyphs into clusters and marks as *plain* the clusters that are one character drawn with the
   font's nominal (cmap) glyph for it and whose glyph carries exactly that character in ToUnicode —
   their text extracts correctly without help;
3. joins neighbouring clusters into groups so that Poppler, which places the ActualText of a span over
   the extent of the glyphs drawn in it, does not split a word in two (see :func:`_group_clusters`), and
   checks each word as Poppler will read it, giving a span to any group whose glyphs Poppler would not
   read as one word by themselves (see :func:`_keep_words_whole`);
4. parses the operators the original appended, checks that the glyph codes in its ``TJ`` arrays are
   exactly the expected ones (otherwise it leaves the line untouched: *fail safe*), and splits the
   ``TJ`` arrays to put ``/Span <</ActualText <FEFF…>>> BDC … EMC`` around every group that contains
   a cluster that is not plain.

Splitting a ``TJ`` array keeps every glyph exactly where it was (the pen position carries over from one
``TJ`` to the next inside a text object), so pages are pixel-identical with and without the layer.

Limits: lines with right-to-left runs or bitmap fonts are left as WeasyPrint drew them (our reports have
none).  WeasyPrint lays out SVG ``<text>`` one character at a time, so Bangla there is not even shaped
correctly: keep Bangla out of SVG (chart labels in HTML).  A word that the line breaker splits after a
"/" or "-" comes back in two pieces, as in any PDF.  Letter-spacing makes gaps that Poppler reads as
word breaks; the layer bridges them with spans (see :func:`_group_clusters`).

This depends on WeasyPrint internals (the name and signature of ``draw_first_line``, the form of the
operators it writes, Pango structures reached through ``weasyprint.text.ffi``).  :func:`install` refuses
any WeasyPrint version other than :data:`SUPPORTED_WEASYPRINT_VERSIONS`; the extraction tests in
``tests/reports/test_textlayer.py`` are the guard when upgrading.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import re
import struct
import threading
import weakref
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from io import BytesIO
from typing import Any

import weasyprint
import weasyprint.draw.text as weasyprint_draw_text
from fontTools.ttLib import TTFont
from weasyprint.text.ffi import TO_UNITS, ffi, pango

logger = logging.getLogger(__name__)

#: WeasyPrint versions whose ``draw_first_line`` this module has been checked against.
SUPPORTED_WEASYPRINT_VERSIONS: frozenset[str] = frozenset({"70.0"})

#: Counters of what the layer did, for tests and diagnostics: ``lines`` seen, ``spans`` written,
#: ``skipped:<reason>`` lines left untouched.
stats: Counter[str] = Counter()

# Geometry thresholds, in em.  Poppler (TextOutputDev) starts a new word when a character begins more
# than 0.1 em after the end of the word, more than 0.2 em before it, or within 0.1 em of the start of the
# previous character (it takes that for duplicated, fake-bold text; the character after such an overlap
# starts a new word too).  It joins such pieces again only when the next piece starts less than 0.03 em
# after the previous one ends (and they are in order), otherwise it puts a space between them.  A word's
# end is where its *last* character ends (origin + width), even if an earlier one reaches further right.
# An ActualText span becomes characters spread evenly over [first glyph origin, last glyph origin + its
# width]; a character outside spans is its glyph, from its origin to origin + its width.
_TOLERANCE = 0.02  # a glyph drawn this far left of its pen position counts as shifted back
_MIN_CLUSTER_WIDTH = 0.15  # a cluster narrower than this is "almost no width": it joins the previous one
_MIN_WIDTH_PER_CHARACTER = 0.12  # a span narrower per character would look like duplicated text
_MAX_GAP = 0.08  # a wider gap between the glyphs of neighbouring clusters would read as a word break

_JOINERS = frozenset("\u200c\u200d")  # ZWNJ, ZWJ: always part of the previous cluster's span

_lock = threading.Lock()
_original_draw_first_line: Callable[..., Any] | None = None

_HEX_STRING = re.compile(rb"<([0-9A-Fa-f]*)>")

# PangoGlyphInfo is {guint32 glyph; {gint32 width, x_offset, y_offset} geometry; guint attr bitfield}.
_GLYPH_INFO_SIZE = ffi.sizeof("PangoGlyphInfo")
_GLYPH_INFO_INTS = _GLYPH_INFO_SIZE // 4


class TextLayerUnsupported(RuntimeError):
    """The installed WeasyPrint is not a version the text layer was checked against."""


def install() -> None:
    """Wrap WeasyPrint's line drawing with the text layer; calling it again does nothing."""
    global _original_draw_first_line
    with _lock:
        if _original_draw_first_line is not None:
            return
        if weasyprint.__version__ not in SUPPORTED_WEASYPRINT_VERSIONS:
            raise TextLayerUnsupported(
                f"reports.textlayer supports WeasyPrint {', '.join(sorted(SUPPORTED_WEASYPRINT_VERSIONS))}, "
                f"found {weasyprint.__version__}.  The layer relies on WeasyPrint internals "
                "(weasyprint.draw.text.draw_first_line and the PDF operators it writes): check it against the "
                "new version, run tests/reports/test_textlayer.py, then add the version to "
                "SUPPORTED_WEASYPRINT_VERSIONS."
            )
        original = weasyprint_draw_text.draw_first_line
        _check_internals(original)
        _original_draw_first_line = original

        def draw_first_line(stream, textbox, text_overflow, block_ellipsis, matrix):
            start = len(stream.stream)
            emojis = original(stream, textbox, text_overflow, block_ellipsis, matrix)
            _add_actual_text(stream, textbox, start)
            return emojis

        draw_first_line.__wrapped__ = original  # type: ignore[attr-defined]
        # draw_text() looks the name up in its module at each call, and svg/text.py imports it at call
        # time, so replacing the module attribute covers every text WeasyPrint draws.
        weasyprint_draw_text.draw_first_line = draw_first_line


def _check_internals(draw_first_line: Callable[..., Any]) -> None:
    """Refuse to install when the WeasyPrint internals the layer reads are not what it was written for."""
    parameters = list(inspect.signature(draw_first_line).parameters)
    if parameters != ["stream", "textbox", "text_overflow", "block_ellipsis", "matrix"]:
        raise TextLayerUnsupported(f"weasyprint.draw.text.draw_first_line{parameters} has changed")
    if (_GLYPH_INFO_SIZE, ffi.offsetof("PangoGlyphInfo", "geometry")) != (20, 4):
        raise TextLayerUnsupported("PangoGlyphInfo in weasyprint.text.ffi has changed")


def uninstall() -> None:
    """Restore WeasyPrint's own ``draw_first_line`` (tests compare output with and without the layer)."""
    global _original_draw_first_line
    with _lock:
        if _original_draw_first_line is None:
            return
        weasyprint_draw_text.draw_first_line = _original_draw_first_line
        _original_draw_first_line = None


def is_installed() -> bool:
    return _original_draw_first_line is not None


# ---------------------------------------------------------------------------------------------------------
# One line
# ---------------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Cluster:
    text: str
    codes: list[int]  # glyph codes as written in the TJ arrays (none for Pango's empty glyphs)
    pen_start: float  # em, along the line
    pen_end: float = 0.0
    box_start: float | None = None  # em: where Poppler sees the first glyph begin ...
    box_end: float | None = None  # ... and the last one end (None: no glyph drawn)
    drawn_left: bool = False  # some glyph is drawn left of the cluster's pen position
    plain: bool = False  # one character, its nominal glyph, and that glyph's ToUnicode is the character


class _Group:
    """Neighbouring clusters that get one span (when any of them is not plain)."""

    __slots__ = ("box_end", "box_start", "clusters", "is_space", "needs_span", "pen_end", "text")

    def __init__(self, cluster: _Cluster) -> None:
        self.clusters = [cluster]
        self.text = cluster.text
        self.is_space = cluster.text.isspace()
        self.needs_span = not cluster.plain
        self.box_start = cluster.box_start
        self.box_end = cluster.box_end
        self.pen_end = cluster.pen_end

    def add(self, cluster: _Cluster) -> None:
        self.clusters.append(cluster)
        self.text += cluster.text
        self.needs_span = self.needs_span or not cluster.plain
        if self.box_start is None:
            self.box_start = cluster.box_start
        if cluster.box_end is not None:
            self.box_end = cluster.box_end
        self.pen_end = cluster.pen_end

    def merge(self, following: _Group) -> None:
        """Take in the group that follows this one; the result gets a span."""
        for cluster in following.clusters:
            self.add(cluster)
        self.needs_span = True

    def characters(self) -> list[tuple[float, float]]:
        """(start, end) in em of each character Poppler will place for this group (none: nothing drawn)."""
        if self.box_start is None or self.box_end is None:
            return []
        if self.needs_span:
            step = (self.box_end - self.box_start) / len(self.text)
            return [
                (self.box_start + i * step, self.box_start + (i + 1) * step) for i in range(len(self.text))
            ]
        # Plain clusters only: one character, one glyph each.
        return [
            (cluster.box_start, cluster.box_end) for cluster in self.clusters if cluster.box_start is not None
        ]

    def wants_next(self) -> bool:
        """Whether the group must take in the next cluster for Poppler to keep the word whole."""
        if self.box_end is None:
            return False
        # A shifted-back mark or reph last: the span would end before the pen, leaving a gap that Poppler
        # reads as a word break.
        if self.box_end < self.pen_end - _TOLERANCE:
            return True
        # Too narrow per character: the next character would look like a duplicate of this one.
        assert self.box_start is not None
        return self.needs_span and (self.box_end - self.box_start) < _MIN_WIDTH_PER_CHARACTER * len(self.text)


def _joins_previous(cluster: _Cluster) -> bool:
    if cluster.box_start is None or cluster.text[0] in _JOINERS:
        return True
    assert cluster.box_end is not None
    return cluster.drawn_left or cluster.box_end - cluster.box_start < _MIN_CLUSTER_WIDTH


def _group_clusters(clusters: list[_Cluster]) -> list[_Group]:
    """Join neighbouring clusters so that each span reads as part of its word, never across spaces.

    A cluster joins the previous group when it is drawn left of its pen position, has almost no width,
    draws no glyph, or starts with ZWJ/ZWNJ; a group takes in the next cluster when its last glyph is
    shifted back (a mark or a reph drawn over the previous glyph) or when it is too narrow for the
    number of characters it stands for.  Clusters with a gap between them (letter-spacing) share a span,
    even when both are plain, since Poppler would otherwise split the word at the gap.  Last,
    :func:`_keep_words_whole` gives a span to groups of plain clusters that Poppler would not read as one
    word (a zero-width mark drawn left of, or at, the start of the next character).
    """
    groups: list[_Group] = []
    previous: _Group | None = None
    for cluster in clusters:
        if previous is not None and not previous.is_space and not cluster.text.isspace():
            # A gap Poppler would read as a word break (letter-spacing): a span over both sides bridges it.
            gap = (
                previous.box_end is not None
                and cluster.box_start is not None
                and cluster.box_start - previous.box_end > _MAX_GAP
            )
            if gap or _joins_previous(cluster) or previous.wants_next():
                previous.add(cluster)
                previous.needs_span = previous.needs_span or gap
                continue
        previous = _Group(cluster)
        groups.append(previous)
    _keep_words_whole(groups)
    return groups


def _breaks_word(before: tuple[float, float], after: tuple[float, float]) -> bool:
    """Whether Poppler may read a word break (or a reordering) between these two characters."""
    # Within 0.1 em of the previous start (or left of it): "duplicated text", a new word, perhaps out of
    # order.  Beyond 0.1 em past the previous end: a word gap.  (Starting more than 0.2 em before the
    # previous end also starts a new word, but Poppler joins the two again: they overlap, in order.)
    return after[0] - before[0] < _MIN_WIDTH_PER_CHARACTER or after[0] - before[1] > _MAX_GAP


def _keep_words_whole(groups: list[_Group]) -> None:
    """Give spans to (and merge) groups until Poppler reads every word's characters as one word.

    Glyphs left to themselves (plain clusters) are read where they are drawn.  A zero-width mark such as
    ৃ or ু drawn up to 0.1 em left of the next character's start, or at it, makes that character look like
    a duplicate to Poppler, which then puts a space (or the mark elsewhere) inside the word: "গৃহ" came
    back "গৃ হ" in Noto Serif Bengali.  A span over such a group spreads its text evenly over the group's
    glyphs instead.  A break between two groups merges them into one span; never across spaces.
    """
    start = 0
    while start < len(groups):
        if groups[start].is_space:
            start += 1
            continue
        end = start
        while end < len(groups) and not groups[end].is_space:
            end += 1
        # groups[start:end] is one word.  Each pass fixes its first break by giving a group a span or by
        # merging two groups, so there are at most two passes per group.
        for _ in range(2 * (end - start)):
            index = _first_break(groups, start, end)
            if index is None:
                break
            group, inside = index
            if inside and not groups[group].needs_span:
                groups[group].needs_span = True
                continue
            if inside:  # a span too narrow for its text: take in a neighbour
                if group + 1 < end:
                    group += 1
                elif group == start:
                    break  # the whole word is one span already: nothing more to do
            groups[group - 1].merge(groups[group])
            del groups[group]
            end -= 1
        start = end


def _first_break(groups: list[_Group], start: int, end: int) -> tuple[int, bool] | None:
    """The group at the first word break within ``groups[start:end]`` and whether the break is inside it
    (else it is between that group and the previous one), or ``None``."""
    previous: tuple[float, float] | None = None
    for index in range(start, end):
        characters = groups[index].characters()
        for n, character in enumerate(characters):
            if previous is not None and _breaks_word(previous, character):
                return index, n > 0
            previous = character
    return None


def _add_actual_text(stream, textbox, start: int) -> None:
    """Put /ActualText spans into the operators ``draw_first_line`` appended from ``start`` on."""
    if len(stream.stream) == start:
        return  # nothing drawn (blank or zero-size text)
    stats["lines"] += 1
    try:
        clusters, reason = _read_clusters(stream, textbox)
        new_items = None
        if clusters is not None:
            new_items, reason = _rewrite(stream.stream[start:], _group_clusters(clusters))
    except Exception:  # fail safe: a report with a weaker text layer beats no report
        logger.exception("text layer: line left untouched: %r", getattr(textbox, "text", ""))
        stats["skipped:error"] += 1
        return
    if new_items is None:
        # Once per reason at warning level: a WeasyPrint change would otherwise log every line.
        level = logging.DEBUG if stats[f"skipped:{reason}"] else logging.WARNING
        logger.log(level, "text layer: %s; line left untouched: %r", reason, textbox.text)
        stats[f"skipped:{reason}"] += 1
        return
    stream.stream[start:] = new_items


def _read_clusters(stream, textbox) -> tuple[list[_Cluster] | None, str]:
    """The clusters of the line just drawn, in drawing order, from Pango's glyph items."""
    layout = textbox.pango_layout
    line = pango.pango_layout_get_line_readonly(layout.layout, 0)  # what draw_first_line drew
    utf8 = layout.text.encode()
    empty_glyph = pango.PANGO_GLYPH_EMPTY
    unknown_flag = pango.PANGO_GLYPH_UNKNOWN_FLAG
    clusters: list[_Cluster] = []
    pen = 0.0
    previous_pango_font = None
    run = line.runs
    while run != ffi.NULL:
        glyph_item = run.data
        run = run.next
        item = glyph_item.item
        if item.analysis.level % 2:
            return None, "right-to-left text"
        if item.analysis.font != previous_pango_font:
            previous_pango_font = item.analysis.font
            font, font_size = stream.add_font(previous_pango_font)  # registered by the original: a lookup
            if font.bitmap:
                return None, "bitmap font"
            if pango.pango_version() < 14802 or font.png:  # as draw_first_line does
                font_size = textbox.style["font_size"]
            em = font_size * TO_UNITS
            nominal = _nominal_glyphs(font)
            to_unicode = font.to_unicode
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
                return None, "clusters out of order"
            text = utf8[offset + cluster_index : cluster_end].decode()
            cluster = _Cluster(text, [], pen)
            codes = cluster.codes
            for k in range(i, j):
                glyph_id = glyph_ids[k]
                if glyph_id != empty_glyph:
                    if glyph_id & unknown_flag:
                        # draw_first_line drew .notdef under a code of its own choosing, kept here.
                        code = font.missing.get(glyph_id - unknown_flag)
                        if code is None:
                            return None, "unknown glyph"
                    else:
                        code = glyph_id
                    codes.append(code)
                    origin = pen + x_offsets[k] / em
                    if cluster.box_start is None:
                        cluster.box_start = origin
                    cluster.box_end = origin + widths.get(code, 0) / 1000
                    if origin < cluster.pen_start - _TOLERANCE:
                        cluster.drawn_left = True
                pen += x_advances[k] / em
            cluster.pen_end = pen
            if len(text) == 1 and len(codes) == 1:
                code = codes[0]
                cluster.plain = nominal.get(ord(text)) == code and to_unicode.get(code) == text
            clusters.append(cluster)
            i = j
    return clusters, ""


def _actual_text_operator(text: str) -> bytes:
    # A hex string in UTF-16BE with its byte order mark, as PDF text strings require for non-Latin text.
    return b"/Span <</ActualText <feff" + text.encode("utf-16-be").hex().encode() + b">>> BDC"


def _rewrite(items: list, groups: list[_Group]) -> tuple[list | None, str]:
    """The operators ``items`` with spans around the groups that need one, or ``None`` (fail safe)."""
    # Span boundaries as (glyph index, operator): a span opens before its first glyph and closes after
    # its last one.
    expected: list[int] = []
    boundaries: list[tuple[int, bytes]] = []
    for group in groups:
        first = len(expected)
        for cluster in group.clusters:
            expected.extend(cluster.codes)
        if group.needs_span and len(expected) > first:
            boundaries.append((first, _actual_text_operator(group.text)))
            boundaries.append((len(expected), b"EMC"))
    if not boundaries:
        return list(items), ""

    # Each TJ array split into [numbers, hex, numbers, hex, …, numbers]: hex glyph codes (WeasyPrint
    # writes the glyph ids of non-bitmap fonts as "%04x") and the numbers between them, kept as written.
    split_items: list[list[bytes] | object] = []
    written: list[bytes] = []
    for item in items:
        if isinstance(item, bytes) and item.startswith(b"[") and item.endswith(b"] TJ"):
            pieces = _HEX_STRING.split(item[1:-4])
            split_items.append(pieces)
            written.extend(pieces[1::2])
        else:
            split_items.append(item)
    # Fail safe: the glyphs written must be exactly those Pango shaped, in the same order.
    if any(len(codes) % 4 for codes in written):
        return None, "glyph codes not 4 hex digits"
    if b"".join(written).lower() != struct.pack(f">{len(expected)}H", *expected).hex().encode():
        return None, "glyph codes differ from Pango's"
    stats["spans"] += len(boundaries) // 2

    new_items: list = []
    parts: list[bytes] = []  # the TJ array being built
    glyph_index = 0
    next_boundary = 0
    boundary_at = boundaries[0][0]
    for pieces in split_items:
        if not isinstance(pieces, list):
            new_items.append(pieces)
            continue
        for n, piece in enumerate(pieces):
            if not n % 2:  # numbers
                if piece:
                    if parts and not parts[-1].endswith(b">"):
                        parts.append(b" ")  # numbers either side of an empty "<>" WeasyPrint wrote
                    parts.append(piece)
                continue
            count = len(piece) // 4
            position = 0  # glyphs of this piece already placed
            while boundary_at < glyph_index + count or (
                boundary_at == glyph_index + count and boundaries[next_boundary][1] == b"EMC"
            ):
                if boundary_at - glyph_index > position:
                    parts.append(b"<" + piece[position * 4 : (boundary_at - glyph_index) * 4] + b">")
                    position = boundary_at - glyph_index
                if parts:
                    new_items.append(b"[" + b"".join(parts) + b"] TJ")
                    parts = []
                new_items.append(boundaries[next_boundary][1])
                next_boundary += 1
                boundary_at = boundaries[next_boundary][0] if next_boundary < len(boundaries) else 1 << 30
            if position < count:
                parts.append(b"<" + piece[position * 4 :] + b">")
            glyph_index += count
        if parts:
            new_items.append(b"[" + b"".join(parts) + b"] TJ")
            parts = []
    if next_boundary != len(boundaries):
        return None, "span boundaries not placed"
    return new_items, ""


# ---------------------------------------------------------------------------------------------------------
# Nominal glyphs (the font's cmap), cached per font file
# ---------------------------------------------------------------------------------------------------------

_nominal_by_font: weakref.WeakKeyDictionary[Any, dict[int, int]] = weakref.WeakKeyDictionary()
_nominal_by_digest: dict[bytes, dict[int, int]] = {}


def _nominal_glyphs(font) -> dict[int, int]:
    """Code point → glyph id from the cmap of a WeasyPrint ``Font``'s file."""
    nominal = _nominal_by_font.get(font)
    if nominal is None:
        content = font.file_content
        digest = hashlib.blake2b(content, digest_size=16).digest() + font.index.to_bytes(4, "big")
        nominal = _nominal_by_digest.get(digest)
        if nominal is None:
            font_number = font.index if content[:4] == b"ttcf" else -1
            ttfont = TTFont(BytesIO(content), fontNumber=font_number, lazy=True)
            glyph_ids = ttfont.getReverseGlyphMap()
            nominal = {cp: glyph_ids[name] for cp, name in (ttfont.getBestCmap() or {}).items()}
            with _lock:
                _nominal_by_digest[digest] = nominal
        _nominal_by_font[font] = nominal
    return nominal
