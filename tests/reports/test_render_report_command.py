"""`render_report --office CODE --year YEAR --kind KIND [--quarter N] --out FILE.pdf` (DESIGN.md §8).

The cover letter (one page) is rendered where any report will do: it is the quickest.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from indicators.models import PeriodState
from reports import letter as report_letter
from reports.management.commands import render_report as command_module

pytestmark = pytest.mark.django_db

BASE = ["--office", "mofa", "--year", "2022-23"]


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("render_report", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def run_from_argv(*args: str, capsys) -> tuple[int, str, str]:
    """As from the shell: the exit status and what went to stdout and stderr."""
    command = command_module.Command()
    try:
        command.run_from_argv(["manage.py", "render_report", *args])
        status = 0
    except SystemExit as exit:
        status = exit.code
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def pdftotext(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-raw", str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


def pdf_pages(path: Path) -> int:
    info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def test_writes_the_pdf_and_prints_pages_and_sha256(demo, tmp_path):
    out = tmp_path / "letter.pdf"
    printed = run(*BASE, "--kind", "cover-letter", "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(b"%PDF-")
    assert f"SHA-256: {hashlib.sha256(data).hexdigest()}" in printed
    assert re.search(r"pages: 1\b", printed)
    assert pdf_pages(out) == 1
    assert "স্মারক নম্বর" in pdftotext(out)
    assert not list(tmp_path.glob("*.tmp"))


def test_half_yearly_report(demo, tmp_path):
    out = tmp_path / "half.pdf"
    printed = run(*BASE, "--kind", "half-yearly", "--out", str(out))
    pages = int(re.search(r"pages: (\d+)", printed).group(1))
    assert pages == pdf_pages(out) >= 4  # cover, letter, table, index
    assert "অর্ধবার্ষিক প্রতিবেদন" in pdftotext(out)


def test_quarter_may_be_written_in_bangla_digits(demo, tmp_path):
    out = tmp_path / "q3.pdf"
    run(*BASE, "--kind", "quarterly", "--quarter", "৩", "--out", str(out))
    assert "৩য় ত্রৈমাসিক প্রতিবেদন" in pdftotext(out)


def test_draft_mark_follows_the_period_state(demo, tmp_path):
    out = tmp_path / "letter.pdf"
    printed = run(*BASE, "--kind", "cover-letter", "--out", str(out))
    assert "খসড়া" in printed and "খসড়া" in pdftotext(out)

    period = demo.periods.get(quarter=4)
    report_letter.memo_serial_take(report_letter.cover_letter_for(period))
    period.state = PeriodState.APPROVED
    period.save(update_fields=["state"])
    printed = run(*BASE, "--kind", "cover-letter", "--out", str(out))
    text = pdftotext(out)
    assert "খসড়া" not in printed and "খসড়া" not in text
    assert "১৯.০০.০০০০.১৭৫.৪২.০০১.২৩-৬৯" in text

    run(*BASE, "--kind", "cover-letter", "--draft", "--out", str(out))
    assert "খসড়া" in pdftotext(out)


@pytest.mark.parametrize(
    ("args", "bangla", "english"),
    [
        (["--office", "nowhere", "--year", "2022-23", "--kind", "annual"], "দপ্তর নেই", "No office"),
        (["--office", "mofa", "--year", "2019-20", "--kind", "annual"], "কর্মপরিকল্পনা নেই", "No plan"),
        (["--office", "mofa", "--year", "next year", "--kind", "annual"], "অর্থবছর", "fiscal year"),
        (
            ["--office", "mofa", "--year", "2022-23", "--kind", "weekly"],
            "অজানা প্রতিবেদনের ধরন",
            "Unknown report kind",
        ),
        (["--office", "mofa", "--year", "2022-23", "--kind", "quarterly"], "ত্রৈমাসিক", "needs its quarter"),
        (
            ["--office", "mofa", "--year", "2022-23", "--kind", "quarterly", "--quarter", "5"],
            "১ থেকে ৪",
            "1 to 4",
        ),
        (["--office", "mofa", "--year", "2022-23", "--kind", "annual", "--quarter", "2"], "৪র্থ", "quarter 4"),
    ],
)
def test_errors_go_to_stderr_with_exit_status_1_and_write_nothing(
    demo, tmp_path, capsys, args, bangla, english
):
    out = tmp_path / "report.pdf"
    status, stdout, stderr = run_from_argv(*args, "--out", str(out), capsys=capsys)
    assert status == 1
    assert bangla in stderr and english in stderr
    assert stdout == ""
    assert list(tmp_path.iterdir()) == []


def test_missing_folder_is_an_error(demo, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run(*BASE, "--kind", "cover-letter", "--out", str(tmp_path / "missing" / "letter.pdf"))


def test_a_failed_render_leaves_the_old_file_untouched(demo, tmp_path, monkeypatch):
    out = tmp_path / "letter.pdf"
    out.write_bytes(b"%PDF-old")

    def broken(*args, **kwargs):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(command_module, "render_report", broken)
    with pytest.raises(RuntimeError):
        run(*BASE, "--kind", "cover-letter", "--out", str(out))
    assert out.read_bytes() == b"%PDF-old"
    assert [p.name for p in tmp_path.iterdir()] == ["letter.pdf"]


def test_write_atomically_removes_its_temporary_file_when_writing_fails(tmp_path, monkeypatch):
    target = tmp_path / "out.pdf"

    def failing_replace(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(command_module.os, "replace", failing_replace)
    with pytest.raises(OSError):
        command_module.write_atomically(target, b"%PDF-1.7")
    assert list(tmp_path.iterdir()) == []
