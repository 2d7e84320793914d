"""The text of a PDF as each engine people read with gives it back (DESIGN.md §6 "Readable in every viewer").

=========  ==============================================  ==========================================
engine     who reads with it                               how it is run here
=========  ==============================================  ==========================================
poppler    Evince, Okular, pdftotext                       ``pdftotext`` (poppler-utils)
pdfium     Chrome, Edge (the Cabinet Division's viewer)    pypdfium2
mupdf      SumatraPDF, many mobile readers                 PyMuPDF
pdfjs      Firefox, many web viewers                       Node + pdfjs-dist (package.json), the text
                                                           Firefox's find bar searches
pdfminer   indexers, scripts                               pdfminer.six
pypdf      scripts                                         pypdf
=========  ==============================================  ==========================================

Each function takes a PDF file and returns its text, pages separated by form feeds.
"""

from __future__ import annotations

import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from django.conf import settings

PDFJS_SCRIPT = Path(settings.BASE_DIR) / "tests" / "tools" / "pdfjs_text.mjs"
PDFJS_PACKAGE = Path(settings.BASE_DIR) / "node_modules" / "pdfjs-dist"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def poppler(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout


def pdfium(path: Path) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    texts = []
    try:
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_range())
            textpage.close()  # children before their parents: pdfium frees them in that order
            page.close()
    finally:
        document.close()
    return "\f".join(texts)


def mupdf(path: Path) -> str:
    import pymupdf

    with pymupdf.open(str(path)) as document:
        return "\f".join(page.get_text() for page in document)


def pdfjs_missing() -> str | None:
    """Why pdf.js cannot run here (no Node), or None. With Node but without pdfjs-dist the pdf.js test
    fails rather than skips: ``make setup`` installs it (``npm ci``)."""
    if shutil.which("node") is None:
        return "node is not installed (scripts/system-deps.sh installs Debian's nodejs): pdf.js not measured"
    return None


def pdfjs(path: Path) -> str:
    assert PDFJS_PACKAGE.is_dir(), "pdfjs-dist is not installed: run `make setup` (npm ci, package.json)"
    return subprocess.run(
        ["node", str(PDFJS_SCRIPT), str(path)], capture_output=True, check=True, text=True, timeout=300
    ).stdout


def pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


def pypdf_text(path: Path) -> str:
    import pypdf

    return "\f".join(page.extract_text() for page in pypdf.PdfReader(str(path)).pages)


ENGINES: dict[str, Callable[[Path], str]] = {
    "poppler": poppler,
    "pdfium": pdfium,
    "mupdf": mupdf,
    "pdfjs": pdfjs,
    "pdfminer": pdfminer,
    "pypdf": pypdf_text,
}


def word_recall(expected: Counter[str], extracted: str) -> tuple[float, list[str]]:
    """Fraction of the expected words (each occurrence counted) found among the extracted words (split at
    white space, NFC), and the words short of their count."""
    found = Counter(nfc(extracted).split())
    missing = sorted(word for word, count in expected.items() if found[word] < count)
    hits = sum(min(count, found[word]) for word, count in expected.items())
    return hits / sum(expected.values()), missing


def words(text: str) -> Counter[str]:
    return Counter(nfc(text).split())
