"""Writing: plain rows, not model instances, with primary keys reserved beforehand.

Offices, users and memberships go through ``bulk_create``; the plan-level tables (millions of rows) are written
as plain rows — COPY on PostgreSQL, executemany elsewhere — because creating and preparing that many model
instances took most of the time (measured: about 50 s per 1,200 offices with ``bulk_create`` against about 20 s
with COPY, on the same loaded machine). A ``Table`` refuses to be built without a column the model requires,
so a model change cannot leave it out of the raw rows silently.
"""

from __future__ import annotations

import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db import connection, models

from evidence.models import Evidence
from indicators.models import (
    TARGET_COLUMNS,
    ActionPlan,
    Activity,
    Approval,
    HistoryEntry,
    Indicator,
    PerformanceArea,
    PeriodTransition,
    Progress,
    ReportingPeriod,
)


class Table:
    """Rows for one table, in the order of ``fields`` (attribute names, e.g. ``plan_id``)."""

    def __init__(self, model: type[models.Model], fields: list[str]):
        self.model = model
        self.fields = [model._meta.get_field(name.removesuffix("_id")) for name in fields]
        self.rows: list[tuple] = []
        # A model change must not leave a required column out of the raw rows silently.
        required = {
            f.attname
            for f in model._meta.concrete_fields
            if not f.primary_key
            and not f.generated
            and not f.null
            and not f.has_default()
            and not getattr(f, "auto_now", False)
            and not getattr(f, "auto_now_add", False)
        }
        missing = required - {f.attname for f in self.fields}
        if missing:
            raise RuntimeError(f"loadgen writes {model.__name__} without {sorted(missing)}")

    def write(self) -> int:
        if not self.rows:
            return 0
        table = connection.ops.quote_name(self.model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if connection.vendor == "postgresql" and hasattr(raw, "copy_expert"):
                buffer = io.StringIO()
                for row in self.rows:
                    buffer.write("\t".join(map(_copy_text, row)))
                    buffer.write("\n")
                buffer.seek(0)
                raw.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
            else:
                placeholders = ", ".join(["%s"] * len(self.fields))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({placeholders})",
                    [
                        [f.get_db_prep_save(v, connection) for f, v in zip(self.fields, row, strict=True)]
                        for row in self.rows
                    ],
                )
        count = len(self.rows)
        self.rows = []
        return count


def _copy_text(value: object) -> str:
    """One value in PostgreSQL's COPY text format."""
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, datetime.date):  # dates, and aware datetimes with their offset
        return value.isoformat()
    if isinstance(value, dict):
        value = json.dumps(value)
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return text


def reserve_ids(model: type[models.Model], count: int) -> Iterator[int]:
    """``count`` new primary keys: taken from the table's sequence on PostgreSQL; after the largest one
    elsewhere (SQLite has one writer, and this transaction holds the write lock since the offices)."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, count]
            )
            return iter([row[0] for row in cursor.fetchall()])
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")
        first = cursor.fetchone()[0] + 1
        return iter(range(first, first + count))


@dataclass
class PlanRows:
    """The rows of a chunk of offices' plans, one ``Table`` per model; ``tables()`` in the order they are
    written (a row's parents first)."""

    plans: Table = field(
        default_factory=lambda: Table(
            ActionPlan, ["id", "office_id", "fiscal_year_id", "origin", "created_at", "updated_at"]
        )
    )
    areas: Table = field(
        default_factory=lambda: Table(
            PerformanceArea, ["id", "plan_id", "code", "title", "marks", "position"]
        )
    )
    activities: Table = field(
        default_factory=lambda: Table(Activity, ["id", "plan_id", "area_id", "code", "title", "position"])
    )
    indicators: Table = field(
        default_factory=lambda: Table(
            Indicator,
            [
                "id",
                "plan_id",
                "activity_id",
                "code",
                "title",
                "unit",
                "unit_label",
                "evaluation",
                "evidence_expected",
                "weight",
                "calc_method",
                "scoring_method",
                "direction",
                *TARGET_COLUMNS,
                "applicable",
                "not_applicable_reason",
                "data_source",
                "position",
            ],
        )
    )
    periods: Table = field(
        default_factory=lambda: Table(
            ReportingPeriod, ["id", "plan_id", "quarter", "state", "deadline", "version", "score_snapshot"]
        )
    )
    progress: Table = field(
        default_factory=lambda: Table(
            Progress,
            [
                "indicator_id",
                "quarter",
                "value_number",
                "value_date",
                "remark",
                "recorded_by_id",
                "recorded_at",
                "version",
            ],
        )
    )
    transitions: Table = field(
        default_factory=lambda: Table(
            PeriodTransition, ["period_id", "from_state", "to_state", "user_id", "at", "comment"]
        )
    )
    approvals: Table = field(
        default_factory=lambda: Table(
            Approval,
            [
                "period_id",
                "number",
                "approved_by_id",
                "approved_at",
                "score_snapshot",
                "scoring_rules",
                "source_sha256",
                "sent_at",
                "superseded_at",
            ],
        )
    )
    evidence: Table = field(
        default_factory=lambda: Table(
            Evidence,
            [
                "indicator_id",
                "quarter",
                "title",
                "file",
                "original_name",
                "content_type",
                "size",
                "page_count",
                "sha256",
                "position",
                "uploaded_by_id",
                "uploaded_at",
            ],
        )
    )
    history: Table = field(
        default_factory=lambda: Table(
            HistoryEntry,
            [
                "plan_id",
                "indicator_id",
                "indicator_code",
                "quarter",
                "kind",
                "before",
                "after",
                "reason",
                "user_id",
                "at",
            ],
        )
    )

    def tables(self) -> list[Table]:
        return [
            self.plans,
            self.areas,
            self.activities,
            self.indicators,
            self.periods,
            self.approvals,
            self.progress,
            self.transitions,
            self.evidence,
            self.history,
        ]
