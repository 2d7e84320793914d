"""Chromium's own PDF viewer reads our PDFs (issue 15.1): the words, the phrases people search for, the title.

Headless Chromium loads its PDF viewer (the built-in extension, PDFium in a plugin frame). Its find bar
(Ctrl+F) is browser UI that headless Chromium does not have, so the test asks the viewer itself for the
text a reader selects and copies (select all, then the selected text, through the viewer's plugin
controller) and looks the phrases up in it; ``tests/reports/test_viewers.py::test_pdfium_finds_phrases``
runs PDFium's own find (``FPDFText_FindStart``, what Ctrl+F calls) on the same file.
"""

from __future__ import annotations

import pytest

from reports import pdf, pdf_metadata
from tests.reports import viewers
from tests.reports.test_viewers import PHRASES, passage_html, seed_passage

VIEWER = "chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/"


def viewer_frame(page, url: str):
    page.goto(url)
    for _ in range(60):
        frames = [frame for frame in page.frames if frame.url.startswith(VIEWER)]
        if frames and frames[0].evaluate("() => !!document.querySelector('pdf-viewer')?.currentController"):
            return frames[0]
        page.wait_for_timeout(250)
    pytest.fail(f"Chromium's PDF viewer did not open {url}: frames {[frame.url for frame in page.frames]}")


SELECTED_TEXT = """async () => {
  const viewer = document.querySelector('pdf-viewer');
  for (let i = 0; i < 80 && viewer.docLength_ === 0; i++) await new Promise(r => setTimeout(r, 250));
  viewer.currentController.selectAll();
  const reply = await viewer.currentController.getSelectedText();
  return {text: reply.selectedText, title: viewer.pdfTitle, bookmarks: viewer.bookmarks.map(b => b.title)};
}"""


def test_chromiums_viewer_gives_back_the_words_and_finds_the_phrases(chromium, tmp_path):
    text = seed_passage()
    path = tmp_path / "seed.pdf"
    data = pdf.html_to_pdf(passage_html(text))
    metadata = pdf_metadata.Metadata(
        title="পররাষ্ট্র মন্ত্রণালয় — বার্ষিক প্রতিবেদন", author="পররাষ্ট্র মন্ত্রণালয়", subject=""
    )
    path.write_bytes(pdf_metadata.finish(data, metadata, [pdf_metadata.Bookmark("প্রচ্ছদ", 0)]))
    page = chromium.new_page()
    try:
        result = viewer_frame(page, path.as_uri()).evaluate(SELECTED_TEXT)
    finally:
        page.close()
    recall, missing = viewers.word_recall(viewers.words(text), result["text"])
    print(f"\nChromium's PDF viewer, seed 000 passage: {recall:.1%} of the words")
    assert recall >= 0.99, missing[:20]
    squashed = " ".join(viewers.nfc(result["text"]).split())
    assert [phrase for phrase in PHRASES if phrase not in squashed] == []
    assert result["title"] == metadata.title
    assert result["bookmarks"] == ["প্রচ্ছদ"]
