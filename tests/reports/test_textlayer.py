"""The text layer (DESIGN.md §6 "Text layer"): Bangla comes back exactly from ``pdftotext``; the other
engines are in ``test_viewers.py``.

The PDFs are read back with Poppler (``pdftotext``, ``pdftoppm``; poppler-utils, see
``scripts/system-deps.sh``), as people will read them.  These tests are also the guard on WeasyPrint
upgrades: the layer depends on WeasyPrint internals.  No database needed.
"""

from __future__ import annotations

import csv
import html
import io
import re
import statistics
import subprocess
import time
import unicodedata
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path

import pypdf
import pytest
import weasyprint
from django.conf import settings
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from PIL import Image, ImageChops

from base import bangla
from reports import pdf, textfont, textlayer

DEMO_DIR = Path(settings.BASE_DIR) / "apa_tracker" / "demo" / "mofa-2022-23"
BANGLA_LETTER = re.compile("[\u0980-\u09ff]")

#: Hard cases for shaping and extraction, one line each (short enough not to wrap).
HARD_STRINGS: dict[str, str] = {
    "conjuncts": "ক্ষ জ্ঞ ন্ত্র স্ক্র ন্দ্ব পক্ষ বিজ্ঞান মন্ত্রণালয় স্ক্রিন দ্বন্দ্ব",
    "more conjuncts": "স্বাস্থ্য উজ্জ্বল ক্ষ্ম ন্ত্রী শ্রী হৃদয় কৃষি",
    "reph": "র্ক কর্মপরিকল্পনা বার্ষিক কর্মসম্পাদন সূর্য ঊর্ধ্বতন কর্তৃপক্ষের",
    "ya-phala": "ব্যবস্থাপনা ত্য সত্য প্রত্যাশী",
    "ra-phala": "প্রতিবেদন ক্র ক্রয় গ্রহণ",
    "vowel signs": "কি কী কু কূ কৃ কে কৈ কো কৌ শিক্ষা উদ্ভাবনী",
    "khanda ta": "উৎসব বিদ্যুৎ ভবিষ্যৎ",
    "chandrabindu": "চাঁদ কাঁচা পাঁচ",
    "hasanta at end": "বাক্ দিক্ ধিক্",
    "visarga and anusvara": "দুঃখ বাংলাদেশ ইতঃপূর্বে হয়েছে।",
    "nukta, precomposed": "\u09dc \u09dd \u09df বা\u09dcি আষা\u09dd সম\u09df",
    "nukta, decomposed": "\u09a1\u09bc \u09a2\u09bc \u09af\u09bc বা\u09a1\u09bcি আষা\u09a2\u09bc সম\u09af\u09bc",
    "ZWJ and ZWNJ": "র\u200d্যাব র\u200d্যাংকিং ক্\u200cষ",
    "digits and grouping": " ".join(
        [
            bangla.format_number(Decimal("1234567.50"), decimals=2),  # ১২,৩৪,৫৬৭.৫০
            bangla.format_percent(Decimal("93.27")),  # ৯৩.২৭%
            bangla.format_date_short(date(2023, 7, 5)),  # ০৫/০৭/২০২৩
            bangla.format_code("1.2.2"),
            "১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-৬৯",
        ]
    ),
    "dates": bangla.format_dual_date(date(2023, 7, 5)),
    "mixed": "myGov প্ল্যাটফর্মে ৬২টি সেবা",
    "mixed, Latin first": "GPT-4 ইত্যাদি e-Nothi ই-নথি",
    # A zero-width ৃ/ূ drawn left of the next letter (Noto Serif Bengali): Poppler read the letter after it
    # as duplicated text and put a space inside the word ("গৃ হ").
    "marks drawn left": "দৃঃ আঃ গৃহীত সহজিকৃত ভিত্তিমূল কৃষি মূল্যায়ন দৃঢ় রূপ",
    "marks drawn left, more": "শূন্য হৃদয় মৃত্যু ঋণ দূর গৃহ সূচক পূর্ণ",
}

#: Words whose first cluster carries ৃ, ূ or ু, each as its own line in every family (see
#: test_words_with_a_mark_drawn_left_come_back_whole).
MARK_WORDS: list[str] = [
    "দৃঃ আঃ", "গৃহীত", "সহজিকৃত", "ভিত্তিমূল", "কৃষি", "মূল্যায়ন", "দৃঢ়", "রূপ",
    "শূন্য", "হৃদয়", "মৃত্যু", "ঋণ", "দূর", "গৃহ", "সূচক", "পূর্ণ",
]  # fmt: skip

#: The same failure class more broadly: every consonant with ু, ূ, ৃ before হ (the widest gap); a visible
#: hasanta (zero width) before a letter; ু and ঁ both drawn left over ঞ.
CONSONANTS = [chr(c) for c in range(0x0995, 0x09BA) if chr(c) not in "\u09a9\u09b1\u09b3\u09b4\u09b5"]
MARK_CLASS_WORDS: list[str] = [
    *(consonant + sign + "হ" for consonant in [*CONSONANTS, "\u09dc", "\u09dd", "\u09df"] for sign in "ুূৃ"),
    *(consonant + sign + "ঃ" for consonant in "খগদ" for sign in "ুূৃ"),
    "খ্জৃহ", "ঠ্কাক", "ঠ্খীক", "ক্ঠূক", "ক্খৃহ", "ঞুঁ", "ঞুঁক",
]  # fmt: skip

FAMILIES = {"serif": pdf.SERIF, "serif bold": pdf.SERIF_BOLD, "sans": pdf.SANS, "sans bold": pdf.SANS_BOLD}


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def demo_texts() -> list[str]:
    """Every distinct cell with Bangla text in the demo plan and progress (headers, titles, remarks …)."""
    texts: list[str] = []
    for name in ("plan.csv", "progress.csv"):
        with open(DEMO_DIR / name, encoding="utf-8", newline="") as f:
            for row in csv.reader(f):
                texts.extend(cell for cell in row if BANGLA_LETTER.search(cell) and cell not in texts)
    return texts


def no_break_html(text: str) -> str:
    """HTML for ``text`` in which words with a "/" or "-" are not broken across lines.

    The line breaker may break after "/" and "-", leaving half a word on each line (and pdftotext joins
    a line ending in "-" to the next without the hyphen): word recall would count such a word as lost
    though the text layer has nothing to do with it.
    """
    return re.sub(r"\S*[/-]\S*", lambda word: f"<span class='nowrap'>{word[0]}</span>", html.escape(text))


def battery_html() -> str:
    """Every hard string and every demo text: one-line paragraphs, a long wrapping justified paragraph,
    table cells, serif and sans, regular and bold."""
    hard = list(HARD_STRINGS.values())
    demo = demo_texts()
    e = no_break_html
    lines = "".join(f"<p class='line'>{e(text)}</p>" for text in hard)
    rows = "".join(
        f"<tr><td>{e(text)}</td><td class='bold'>{e(text)}</td><td class='serif'>{e(text)}</td></tr>"
        for text in hard + demo
    )
    paragraphs = "".join(f"<p>{e(text)}</p>" for text in demo)
    return f"""<!doctype html><html lang="bn"><head><style>
        @page {{ size: A4; margin: 15mm }}
        body {{ font-family: {pdf.SERIF}; font-size: 11pt }}
        .line {{ margin: 2pt 0 }}
        .nowrap {{ white-space: nowrap }}
        .sans-bold .line {{ font-family: {pdf.SANS_BOLD} }}
        .long {{ text-align: justify; width: 80mm; font-family: {pdf.SANS} }}
        table {{ border-collapse: collapse; font-family: {pdf.SANS}; font-size: 9pt }}
        td {{ border: 0.5pt solid black; padding: 2pt; vertical-align: top; width: 33% }}
        td.bold {{ font-family: {pdf.SANS_BOLD} }}
        td.serif {{ font-family: {pdf.SERIF_BOLD} }}
    </style></head><body>
        <section>{lines}</section>
        <section class="sans-bold">{lines}</section>
        <p class="long">{e(" ".join(hard + demo))}</p>
        <table>{rows}</table>
        {paragraphs}
    </body></html>"""


def expected_words() -> Counter[str]:
    """Every word of the battery, as often as it is printed there."""
    hard = list(HARD_STRINGS.values())
    demo = demo_texts()
    # two sections of one-line paragraphs, the long paragraph, three table columns, the paragraphs
    printed = hard * 2 + (hard + demo) + (hard + demo) * 3 + demo
    return Counter(word for text in printed for word in nfc(text).split())


def pdftotext(data: bytes, tmp_path: Path, *, layout: bool) -> str:
    path = tmp_path / "extract.pdf"
    path.write_bytes(data)
    args = ["pdftotext", "-enc", "UTF-8", *(["-layout"] if layout else []), str(path), "-"]
    return nfc(subprocess.run(args, capture_output=True, check=True, text=True).stdout)


def word_recall(expected: Counter[str], extracted: str) -> tuple[float, list[str]]:
    """Fraction of the expected words (each occurrence counted) found among the extracted words."""
    found = Counter(extracted.split())
    missing = sorted(word for word, count in expected.items() if found[word] < count)
    hits = sum(min(count, found[word]) for word, count in expected.items())
    return hits / sum(expected.values()), missing


def render_without_layer(source: str) -> bytes:
    installed = textlayer.is_installed()
    textlayer.uninstall()
    try:
        return pdf.write_pdf(source)
    finally:
        if installed:
            textlayer.install()


@pytest.fixture(scope="module")
def battery() -> dict[str, bytes]:
    """The battery rendered once with the layer and once without; the layer's counters while rendering."""
    source = battery_html()
    textlayer.stats.clear()
    with_layer = pdf.html_to_pdf(source)
    stats = dict(textlayer.stats)
    return {"with": with_layer, "without": render_without_layer(source), "stats": stats}


@pytest.mark.parametrize("layout", [True, False], ids=["-layout", "reading order"])
def test_every_word_comes_back_with_the_layer(battery, tmp_path, layout):
    """All words of the battery (hard cases and all demo plan/progress text) come back from pdftotext."""
    recall, missing = word_recall(expected_words(), pdftotext(battery["with"], tmp_path, layout=layout))
    assert missing == []
    assert recall == 1.0


def test_without_the_layer_many_words_are_lost(battery, tmp_path):
    """The layer is what does the work: WeasyPrint alone loses a large share of the Bangla words."""
    expected = expected_words()
    with_layer, _ = word_recall(expected, pdftotext(battery["with"], tmp_path, layout=True))
    without, _ = word_recall(expected, pdftotext(battery["without"], tmp_path, layout=True))
    print(f"\nword recall (pdftotext -layout): with the layer {with_layer:.1%}, without {without:.1%}")
    assert with_layer == 1.0
    assert without < 0.8


def test_each_line_comes_back_verbatim(battery, tmp_path):
    """A one-line paragraph is extracted as exactly its text: right words, right order, right spaces."""
    lines = set(pdftotext(battery["with"], tmp_path, layout=False).splitlines())
    assert [label for label, text in HARD_STRINGS.items() if nfc(text) not in lines] == []


@pytest.mark.parametrize("layout", [True, False], ids=["-layout", "reading order"])
@pytest.mark.parametrize("family", FAMILIES.values(), ids=FAMILIES.keys())
def test_words_with_a_mark_drawn_left_come_back_whole(tmp_path, family, layout):
    """A zero-width vowel sign drawn left of the next letter's start, or at it, does not split its word:
    "গৃহ" came back "গৃ হ" in the serif families (Poppler took হ for a duplicate of ৃ)."""
    words = MARK_WORDS + MARK_CLASS_WORDS
    source = f"<body style='font-family: {family}; font-size: 14pt'>" + "".join(f"<p>{w}</p>" for w in words)
    extracted = pdftotext(pdf.html_to_pdf(source), tmp_path, layout=layout)
    got = [re.sub(" +", " ", line.strip()) for line in extracted.splitlines() if line.strip()]
    assert [(word, line) for word, line in zip(words, got, strict=True) if nfc(word) != line] == []


def test_no_line_falls_back(battery):
    """Every line of the battery is read cluster by cluster: no fail-safe fallback was taken."""
    assert battery["stats"]["lines"] > 0
    assert battery["stats"]["clusters"] > 0
    assert {key: n for key, n in battery["stats"].items() if key.startswith("fallback")} == {}


def fonts_of(data: bytes) -> dict[str, pypdf.generic.DictionaryObject]:
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = {}
    for page in reader.pages:
        for name, font in page["/Resources"]["/Font"].items():
            fonts[name] = font.get_object()
    return fonts


def to_unicode(font) -> dict[int, str]:
    cmap = font["/ToUnicode"].get_object().get_data().decode().split("endcodespacerange")[1]
    return {
        int(code, 16): bytes.fromhex(text).decode("utf-16-be")
        for code, text in re.findall(r"^<([0-9a-f]{4})> <([0-9a-f]*)>$", cmap, re.M)
    }


def test_visible_glyphs_carry_spaces_and_the_layer_font_carries_the_text(battery):
    """WeasyPrint's fonts give every glyph a space (read as nothing); the invisible run's font gives each
    code one character (or a format character and the one after it), marks alone."""
    fonts = fonts_of(battery["with"])
    layer = fonts.pop(f"/{textfont.FONT_NAME}")
    assert fonts
    for font in fonts.values():
        assert set(to_unicode(font).values()) == {" "}
    texts = list(to_unicode(layer).values())
    assert any(BANGLA_LETTER.search(text) for text in texts)
    assert all(text and len(text.strip("\u200c\u200d")) <= 1 for text in texts)
    # Each code stands for exactly one (text, width): the same text may have several widths.
    widths = layer["/DescendantFonts"][0].get_object()["/W"]
    assert sum(len(widths[i + 1]) for i in range(0, len(widths), 2)) == len(texts)
    # Written in render mode 3, switched back to 0 after each line.
    content = page_contents(battery["with"])
    assert content.count(b"3 Tr") == content.count(b"0 Tr") > 0


def page_contents(data: bytes) -> bytes:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return b"\n".join(page.get_contents().get_data() for page in reader.pages)


def test_pages_are_pixel_identical_with_and_without_the_layer(battery, tmp_path):
    """The layer only adds marked content: every page renders exactly as without it."""
    images = {}
    for name in ("with", "without"):
        (tmp_path / f"{name}.pdf").write_bytes(battery[name])
        subprocess.run(
            ["pdftoppm", "-r", "50", "-png", str(tmp_path / f"{name}.pdf"), str(tmp_path / name)], check=True
        )
        images[name] = sorted(tmp_path.glob(f"{name}-*.png"))
    assert len(images["with"]) == len(images["without"]) > 1
    for with_layer, without in zip(images["with"], images["without"], strict=True):
        with Image.open(with_layer) as a, Image.open(without) as b:
            assert a.size == b.size
            assert ImageChops.difference(a.convert("RGB"), b.convert("RGB")).getbbox() is None, (
                with_layer.name
            )


def test_a_cluster_is_cut_into_characters_marks_alone():
    """A code per character: pdf.js gives any code whose text holds a nonspacing mark no width, and drops
    a code whose text ends in a format character, so marks stand alone and ZWJ/ZWNJ go with the next."""
    assert textlayer._pieces("স্ব") == ["স", "্", "ব"]
    assert textlayer._pieces("কি") == ["ক", "ি"]
    assert textlayer._pieces("র\u200d্যা") == ["র", "\u200d", "্", "য", "া"]
    assert textlayer._pieces("ক্\u200cষ") == ["ক", "্", "\u200cষ"]
    assert textlayer._pieces("ক\u200c") == ["ক", "\u200c"]


def test_marks_get_no_width_and_the_others_share_the_cluster():
    table = textfont.CidTable()
    codes = textlayer._codes(table, [("স্ব", 10.0), (" ", 2.5)], 10.0)
    entries = [table.entries[int(codes[i : i + 4], 16)] for i in range(0, len(codes), 4)]
    assert entries == [("স", 500), ("্", 0), ("ব", 500), (" ", 250)]


@given(
    st.lists(
        st.tuples(st.sampled_from(["ক", "স্ব", " ", "কি", "ু", "র\u200d্যা"]), st.floats(0, 40)),
        min_size=1,
        max_size=60,
    ),
    st.floats(4, 30),
)
@hypothesis_settings(max_examples=200, deadline=None)
def test_the_codes_never_drift_from_the_line(clusters, size):
    """Widths are whole units of 1/1000 of the size, yet after every code the run is within half a unit
    of where the visible line is: no drift builds up along a line."""
    table = textfont.CidTable()
    codes = textlayer._codes(table, clusters, size)
    widths = [table.entries[int(codes[i : i + 4], 16)][1] for i in range(0, len(codes), 4)]
    exact = sum(advance for _, advance in clusters) * 1000 / size
    assert abs(sum(widths) - exact) <= 0.5 + 1e-6
    assert "".join(table.entries[int(codes[i : i + 4], 16)][0] for i in range(0, len(codes), 4)) == "".join(
        text for text, _ in clusters
    )


def test_an_error_in_the_layer_gives_the_line_as_one_piece(monkeypatch, tmp_path):
    """Fail safe: an unexpected error costs the line its cluster positions, never its words or the
    report: the line's whole text becomes one code over the line's width."""

    def broken(stream, textbox):
        raise ValueError("boom")

    monkeypatch.setattr(textlayer, "_read_clusters", broken)
    textlayer.stats.clear()
    data = pdf.html_to_pdf(f"<p>{HARD_STRINGS['reph']}</p>")
    assert textlayer.stats["fallback:error"] == 1
    assert pdftotext(data, tmp_path, layout=False).strip() == nfc(HARD_STRINGS["reph"])


def test_install_is_idempotent_and_uninstall_restores_weasyprint():
    """install() twice wraps once; uninstall() puts WeasyPrint's own function back."""
    import weasyprint.draw.text as draw_text
    import weasyprint.pdf as weasyprint_pdf

    textlayer.uninstall()
    original = draw_text.draw_first_line
    try:
        original_fonts = weasyprint_pdf.build_fonts_dictionary
        textlayer.install()
        wrapped = draw_text.draw_first_line
        textlayer.install()
        assert draw_text.draw_first_line is wrapped
        assert wrapped is not original
        assert wrapped.__wrapped__ is original
        assert weasyprint_pdf.build_fonts_dictionary.__wrapped__ is original_fonts
        textlayer.uninstall()
        assert draw_text.draw_first_line is original
        assert weasyprint_pdf.build_fonts_dictionary is original_fonts
        assert not textlayer.is_installed()
    finally:
        textlayer.install()


def test_install_refuses_a_weasyprint_version_it_was_not_checked_against(monkeypatch):
    """The layer relies on WeasyPrint internals: another version must be checked before it is used."""
    textlayer.uninstall()
    monkeypatch.setattr(weasyprint, "__version__", "71.0")
    try:
        with pytest.raises(textlayer.TextLayerUnsupported, match=r"supports WeasyPrint 70\.0, found 71\.0"):
            textlayer.install()
        assert not textlayer.is_installed()
    finally:
        monkeypatch.undo()
        textlayer.install()


def test_the_supported_version_is_the_pinned_one():
    """pyproject.toml pins the WeasyPrint the layer supports."""
    pyproject = (Path(settings.BASE_DIR) / "pyproject.toml").read_text()
    pinned = re.search(r'"weasyprint==([^"]+)"', pyproject)
    assert pinned is not None
    assert pinned[1] in textlayer.SUPPORTED_WEASYPRINT_VERSIONS
    assert weasyprint.__version__ == pinned[1]


def report_like_html() -> str:
    """A realistic page set, about the size of an annual report without its evidence annex: a letter, the
    landscape self-assessment table (the demo plan twice over, as a larger office would have) and an
    introduction."""
    e = no_break_html
    with open(DEMO_DIR / "plan.csv", encoding="utf-8", newline="") as f:
        plan = list(csv.DictReader(f))
    with open(DEMO_DIR / "progress.csv", encoding="utf-8", newline="") as f:
        remarks = [row["মন্তব্য"] for row in csv.DictReader(f) if row["মন্তব্য"]]
    header = "".join(f"<th>{e(name)}</th>" for name in plan[0]) + "<th>মন্তব্য</th>"
    rows = "".join(
        "<tr>"
        + "".join(f"<td>{e(value)}</td>" for value in row.values())
        + f"<td>{e(remarks[i % len(remarks)])}</td></tr>"
        for i, row in enumerate(plan * 2)
    )
    intro = "".join(
        f"<p>{e(row['কর্মসম্পাদন সূচক'])}: {e(remarks[i % len(remarks)])}</p>" for i, row in enumerate(plan)
    )
    return f"""<!doctype html><html lang="bn"><head><style>
        @page {{ size: A4 landscape; margin: 15mm; @bottom-center {{ content: counter(page, bengali) }} }}
        body {{ font-family: {pdf.SERIF}; font-size: 11pt }}
        h1, th {{ font-family: {pdf.SERIF_BOLD} }}
        table {{ border-collapse: collapse; font-family: {pdf.SANS}; font-size: 8pt }}
        th, td {{ border: 0.5pt solid black; padding: 2pt; vertical-align: top }}
        .nowrap {{ white-space: nowrap }}
    </style></head><body>
        <h1>বার্ষিক স্ব-মূল্যায়ন প্রতিবেদন {bangla.fiscal_year_label(2022)}</h1>
        <p>{e(bangla.format_dual_date(date(2023, 7, 5)))}</p>
        {intro}{intro}
        <table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>
        <h1>ভূমিকা</h1>{intro * 2}
    </body></html>"""


def test_overhead_of_the_layer_on_a_realistic_page_set(tmp_path):
    """Prints (does not assert: it depends on the machine) the time and size the layer adds."""
    source = report_like_html()
    pdf.html_to_pdf(source)  # warm up: font files, cmap cache
    times: dict[str, list[float]] = {"with": [], "without": []}
    sizes: dict[str, int] = {}
    for _ in range(2):  # interleaved, so a busy machine slows both alike
        start = time.process_time()
        sizes["with"] = len(data := pdf.html_to_pdf(source))
        times["with"].append(time.process_time() - start)
        start = time.process_time()
        sizes["without"] = len(render_without_layer(source))
        times["without"].append(time.process_time() - start)
    with_time, without_time = statistics.median(times["with"]), statistics.median(times["without"])
    pages = len(pypdf.PdfReader(io.BytesIO(data)).pages)
    print(
        f"\ntext layer overhead on {pages} pages: time {with_time:.2f} s vs {without_time:.2f} s "
        f"({with_time / without_time - 1:+.0%}), size {sizes['with']:,} vs {sizes['without']:,} bytes "
        f"({sizes['with'] / sizes['without'] - 1:+.0%})"
    )
    # The page set is also an extraction check on text laid out as the reports are.
    with open(DEMO_DIR / "plan.csv", encoding="utf-8", newline="") as f:
        printed = [cell for row in csv.reader(f) for cell in row]
    with open(DEMO_DIR / "progress.csv", encoding="utf-8", newline="") as f:
        printed += [row["মন্তব্য"] for row in csv.DictReader(f)]
    expected = Counter(set(nfc(" ".join(printed)).split()))
    _, missing = word_recall(expected, pdftotext(data, tmp_path, layout=True))
    assert missing == []
    assert pages > 1
