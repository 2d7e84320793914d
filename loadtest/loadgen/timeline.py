"""The workflow of one reporting period, simulated on a timeline (pure: no database).

Submissions around the deadlines (some late, some never), CIO returns, approvals, sending, the parent office's
reviewer accepting or returning, everything cut at the moment the data describes (``as_of``: the Q4 deadline
of the year at 18:00, or now for a year still running). The steps are actions of
``workflow.transitions.TRANSITIONS``, so the states, versions and ``PeriodTransition`` rows the writer makes
from them agree with what the workflow allows.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.utils import timezone

from indicators.models import default_deadline
from loadtest.loadgen import names


@dataclass(frozen=True)
class Step:
    action: str  # a key of workflow.transitions.TRANSITIONS
    at: datetime.datetime
    user_id: int
    comment: str = ""


def _moment(day: datetime.date, rng: random.Random) -> datetime.datetime:
    """A time in office hours on ``day``, in the site's time zone."""
    minutes = rng.randint(9 * 60, 17 * 60)
    naive = datetime.datetime.combine(day, datetime.time(minutes // 60, minutes % 60))
    return timezone.make_aware(naive, timezone.get_default_timezone())


def _gap(rng: random.Random, low_hours: float, high_hours: float) -> datetime.timedelta:
    return datetime.timedelta(minutes=rng.randint(int(low_hours * 60), int(high_hours * 60)))


def period_timeline(
    rng: random.Random,
    *,
    deadline: datetime.date,
    as_of: datetime.datetime,
    closing: bool,
    officer: int,
    cio: int,
    reviewer: int,
) -> list[Step]:
    """What happened to one period up to ``as_of``: submitted around the deadline (some late, some never),
    perhaps returned by the CIO or by the reviewer and submitted again, approved, sent, accepted.

    ``closing``: the deadline is the one the data set is taken at (more offices have not submitted yet).
    Steps after ``as_of`` have not happened; the period's state is where the last one left it.
    """
    # A quarter whose deadline is long past is mostly done: it had to be, for the next ones to go forward
    # (quarters go in order, DESIGN.md §4). On the closing deadline many are still on their way.
    if rng.random() < (0.04 if closing else 0.01):
        return []  # never submitted
    late = rng.random() < (0.30 if closing else 0.12)
    day = deadline + datetime.timedelta(days=rng.randint(1, 25) if late else -rng.randint(0, 13))
    t = _moment(day, rng)
    submitter = officer if rng.random() < 0.85 else cio
    steps = [Step("submit", t, submitter)]

    weights = [0.03, 0.04, 0.13, 0.80] if closing else [0.005, 0.005, 0.02, 0.97]
    stop = rng.choices(["submitted", "approved", "sent", "accepted"], weights)[0]
    if rng.random() < 0.08:  # the CIO sends it back first
        t += _gap(rng, 3, 72)
        steps.append(Step("return", t, cio, rng.choice(names.texts().return_comments)))
        if rng.random() < 0.3:
            stop = "returned"
        else:
            t += _gap(rng, 20, 150)
            steps.append(Step("submit", t, submitter))
    if stop not in ("submitted", "returned"):
        t += _gap(rng, 2, 96)
        steps.append(Step("approve", t, cio))
    if stop in ("sent", "accepted"):
        t += _gap(rng, 1, 48)
        steps.append(Step("send", t, cio))
        if rng.random() < 0.06:  # the higher office sends it back
            t += _gap(rng, 24, 240)
            steps.append(Step("review_return", t, reviewer, rng.choice(names.texts().review_return_comments)))
            if rng.random() < 0.3:
                stop = "returned"
            else:
                for action, low, high, user in (
                    ("submit", 20, 150, submitter),
                    ("approve", 2, 72, cio),
                    ("send", 1, 24, cio),
                ):
                    t += _gap(rng, low, high)
                    steps.append(Step(action, t, user))
    if stop == "accepted":
        t += _gap(rng, 24, 480)
        steps.append(Step("accept", t, reviewer))
    return [step for step in steps if step.at <= as_of]


def default_as_of(start_year: int) -> datetime.datetime:
    """The moment the data describes: the annual report's deadline (15 July) at 18:00, or now if earlier."""
    closing = datetime.datetime.combine(default_deadline(start_year, 4), datetime.time(18, 0))
    return min(timezone.now(), timezone.make_aware(closing, timezone.get_default_timezone()))
