"""Several app processes on one SQLite file (DESIGN.md §10): simultaneous saves never answer "database is
locked".

gunicorn runs three worker processes against a SQLite file of its own, migrated and demo-loaded by the same
commands `make run` uses. Two users sign in; then thirty progress saves — the plan page's in-place (htmx)
form — are fired at the same moment from threads: twenty-four to different cells and six to one cell, all six
loaded with the same version. Before the SQLite settings (WAL, busy timeout, BEGIN IMMEDIATE) most of them
answered 500. The file is SQLite whatever DATABASE_URL the suite runs with, so the test runs in both suites.
"""

from __future__ import annotations

import datetime
import sqlite3
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from decimal import Decimal

import pytest

from tests.deploy.servers import (
    SignedIn,
    demo_load,
    free_port,
    gunicorn_start,
    gunicorn_stop,
    production_environment,
    sign_in,
)

PLAN = "/plans/mofa/2022-23/"
CONFLICT = "আপনি সম্পাদনা শুরু করার পর অন্য কেউ এই মানটি বদলেছেন"
SAVED = 'id="plan-totals"'  # the totals swapped out of band: only a successful save answers them
SAME_CELL_SAVES = 6


@dataclass(frozen=True)
class Save:
    code: str
    quarter: int
    value: str
    version: int | None  # the version the user's form was loaded with (None: no value yet)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """gunicorn with three workers on a migrated, demo-loaded SQLite file; yields its URL, file and log."""
    folder = tmp_path_factory.mktemp("sqlite-site")
    port = free_port()
    environment = {
        **production_environment(folder, port=port, workers=3),
        # Plain HTTP on loopback: the session cookie must come back without TLS.
        "DJANGO_SECURE_COOKIES": "0",
        # Sign-ins are not slowed (only failed ones are, but the test should not depend on it).
        "APA_LOGIN_SLOWDOWN_MAX_SECONDS": "0",
    }
    demo_load(environment)
    log = folder / "gunicorn.log"
    process = gunicorn_start(environment, port=port, log=log)
    yield f"http://127.0.0.1:{port}", folder / "db.sqlite3", log
    gunicorn_stop(process)


def stored(database, code: str, quarter: int) -> tuple[Decimal | str | None, int | None]:
    """The value (a number or an ISO date) and version of one cell, read from the file itself."""
    with sqlite3.connect(database) as connection:
        row = connection.execute(
            "SELECT CAST(p.value_number AS TEXT), p.value_date, p.version FROM indicators_progress p"
            " JOIN indicators_indicator i ON i.id = p.indicator_id WHERE i.code = ? AND p.quarter = ?",
            (code, quarter),
        ).fetchone()
    if row is None:
        return None, None
    number, date, version = row
    return (Decimal(number) if number is not None else date), version


def planned_saves(database) -> tuple[list[Save], list[Save]]:
    """Twenty-four saves of different cells, and six of one more cell from forms loaded at one version."""
    with sqlite3.connect(database) as connection:
        indicators = connection.execute(
            "SELECT code, unit FROM indicators_indicator WHERE applicable ORDER BY code"
        ).fetchall()
    cells = [(code, unit, quarter) for code, unit in indicators for quarter in (1, 2, 3, 4)]
    assert len(cells) >= 25, "the demo plan has fewer cells than the test needs"
    day = datetime.date(2023, 5, 1)

    def value(unit: str, n: int) -> str:
        return (day + datetime.timedelta(days=n)).isoformat() if unit == "date" else str(10 + n)

    distinct = [
        Save(code, quarter, value(unit, n), stored(database, code, quarter)[1])
        for n, (code, unit, quarter) in enumerate(cells[:24])
    ]
    code, unit, quarter = cells[24]
    version = stored(database, code, quarter)[1]
    same = [Save(code, quarter, value(unit, 40 + n), version) for n in range(SAME_CELL_SAVES)]
    return distinct, same


def post_save(user: SignedIn, base: str, save: Save) -> tuple[int, str]:
    form = {"value": save.value, "remark": "", "version": "" if save.version is None else str(save.version)}
    request = urllib.request.Request(
        f"{base}{PLAN}indicators/{save.code}/q{save.quarter}/",
        data=urllib.parse.urlencode(form).encode(),
        headers={"HX-Request": "true", "X-CSRFToken": user.csrf_token},
    )
    try:
        with user.opener.open(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def expected(save: Save) -> Decimal | str:
    return save.value if "-" in save.value else Decimal(save.value)


def test_three_processes_answer_simultaneous_saves_without_a_server_error(site):
    """Thirty saves at the same moment through three gunicorn workers on one SQLite file: no 5xx; every save
    of its own cell is stored with its version moved on by one; of six saves to one cell from forms loaded at
    the same version exactly one is stored and five get the Bangla conflict message."""
    base, database, log = site
    users = [sign_in(base, "mofa.officer"), sign_in(base, "mofa.cio")]
    distinct, same = planned_saves(database)
    saves = distinct + same
    answers: list[tuple[int, str] | None] = [None] * len(saves)
    start = threading.Barrier(len(saves))

    def fire(index: int) -> None:
        start.wait()
        answers[index] = post_save(users[index % len(users)], base, saves[index])

    threads = [threading.Thread(target=fire, args=(index,)) for index in range(len(saves))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    statuses = [answer[0] for answer in answers]
    server_errors = [(save, status) for save, status in zip(saves, statuses, strict=True) if status >= 500]
    assert not server_errors, (
        f"{len(server_errors)} of {len(saves)} saves answered a server error: {server_errors}\n"
        + "\n".join(line for line in log.read_text().splitlines() if "locked" in line)
    )
    assert "database is locked" not in log.read_text()
    with sqlite3.connect(database) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    for save, (status, body) in zip(distinct, answers[: len(distinct)], strict=True):
        assert status == 200 and SAVED in body, (save, status)
        assert stored(database, save.code, save.quarter) == (expected(save), (save.version or 0) + 1), save

    same_answers = answers[len(distinct) :]
    winners = [save for save, (_status, body) in zip(same, same_answers, strict=True) if SAVED in body]
    assert len(winners) == 1, [status for status, _body in same_answers]
    assert sum(CONFLICT in body for _status, body in same_answers) == SAME_CELL_SAVES - 1
    assert all(status == 200 for status, _body in same_answers)
    assert stored(database, winners[0].code, winners[0].quarter) == (
        expected(winners[0]),
        (winners[0].version or 0) + 1,
    )
