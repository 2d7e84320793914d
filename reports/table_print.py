"""The self-assessment table as a reader prints it (issue 15.4): what depends on where the pages break.

The table (``templates/reports/pdf/_table.html``) is laid out in row groups, one per activity, that are never
broken over a page; the area's cells span each group's rows, and a group that is not its area's first carries
the area's serial, code and marks hidden, with no border under the area's cells while the area goes on. Where
the pages break is only known once the table is laid out, so after layout and before drawing (nothing is laid
out again: the hidden text and the transparent border take their room from the start):

* the first group on a page that continues an area shows the area's serial, code and marks;
* the last group on a page whose area goes on draws the border under the area's cells: the table is closed
  at the foot of every page.
"""

from __future__ import annotations

from collections.abc import Iterator


def _classes(box) -> set[str]:
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) is None:
        return set()
    return set((element.get("class") or "").split())


def _descendants(box) -> Iterator:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _descendants(child)


def _activity_groups(page_box) -> list:
    return [
        box
        for box in _descendants(page_box)
        if getattr(box, "element_tag", None) == "tbody" and "activity" in _classes(box)
    ]


def close_table_pages(document) -> int:
    """Show the repeated area cells and close the area borders at each page break of the assessment
    table(s) in a laid-out WeasyPrint document; returns how many page breaks fell inside an area."""
    breaks = 0
    for page in document.pages:
        groups = _activity_groups(page._page_box)
        if not groups:
            continue
        first, last = groups[0], groups[-1]
        if "area-continues" in _classes(first):
            breaks += 1
            for box in _descendants(first):
                if "area-repeat" in _classes(box):
                    for inner in _descendants(box):
                        _restyle(inner, visibility="visible")
        if "area-open" in _classes(last):
            for box in _descendants(last):
                if getattr(box, "element_tag", None) == "td" and "area-cell" in _classes(box):
                    _restyle(box, border_bottom_color=box.style["border_right_color"])
    return breaks


def _restyle(box, **changes) -> None:
    """Change one box's style only: WeasyPrint shares one computed style among boxes of the same cascade
    (the area cells of every activity group with the same classes), so changing it in place would show the
    repeated cells, or close the borders, of groups in the middle of other pages too."""
    box.style = box.style.copy()
    for name, value in changes.items():
        box.style[name] = value
