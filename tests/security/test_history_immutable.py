"""The change history is append-only in the database, not only in the ORM (issue 5, migration 0006).

The ORM refusals (save, delete, QuerySet.update/delete, bulk_update, update_or_create) and that entries can
still be added are tested in tests/indicators/test_history.py; these tests go around the ORM with raw SQL, as
a script or a database shell with the application's credentials would.
"""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.db import DatabaseError, connection, transaction
from django.db.models import ProtectedError

from indicators.models import HistoryEntry, HistoryKind, Indicator
from tests.factories import IndicatorFactory

guard = importlib.import_module("indicators.migrations.0006_history_append_only")
TABLE = HistoryEntry._meta.db_table
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite keeps DELETE allowed: Django empties SQLite tables with DELETE FROM (flush, "
    "TransactionTestCase), so the SQLite guard refuses only UPDATE",
)


def guard_triggers() -> list[str]:
    """The enabled triggers on the history table."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
                "AND tgenabled <> 'D'",
                [TABLE],
            )
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
        return [row[0] for row in cursor.fetchall()]


def rows() -> list[tuple]:
    return list(
        HistoryEntry.objects.order_by("pk").values_list("pk", "kind", "before", "after", "reason", "at")
    )


def raw(sql: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_guard_exists_after_all_migrations(db):
    """Every migration has run on the test database; the trigger from 0006 is still there (a later migration
    that remakes the table on SQLite would drop it silently — this test is the alarm)."""
    expected = guard.TRIGGER if connection.vendor == "postgresql" else guard.SQLITE_TRIGGER
    assert guard_triggers() == [expected]


@pytest.mark.parametrize(
    "sql",
    [
        f"UPDATE {TABLE} SET after = 'বদলানো' WHERE id = %s",
        f"UPDATE {TABLE} SET reason = 'x'",
        f"UPDATE {TABLE} SET at = at WHERE id = %s",
    ],
)
def test_raw_sql_update_is_refused_by_the_database(demo, sql):
    """UPDATE through the database connection, bypassing the ORM, fails and changes nothing — even an UPDATE
    that writes the same values back."""
    before = rows()
    assert before, "the demo import writes history"
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [before[0][0]] if "%s" in sql else None)
    assert rows() == before


@on_postgresql
@pytest.mark.parametrize("sql", [f"DELETE FROM {TABLE} WHERE id = %s", f"DELETE FROM {TABLE}"])
def test_raw_sql_delete_is_refused_on_postgresql(demo, sql):
    """On PostgreSQL, DELETE through the connection fails too and every entry stays."""
    before = rows()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(sql, [before[-1][0]] if "%s" in sql else None)
    assert rows() == before


def test_raw_sql_insert_is_allowed(demo):
    """Append-only still appends at the database level: a plain INSERT goes through."""
    count = HistoryEntry.objects.count()
    raw(
        f"INSERT INTO {TABLE} (plan_id, indicator_code, kind, before, after, reason, at) "
        "VALUES (%s, '', %s, '', 'নতুন', '', CURRENT_TIMESTAMP)",
        [demo.pk, HistoryKind.REMARK.value],
    )
    assert HistoryEntry.objects.count() == count + 1


def test_deleting_an_indicator_leaves_its_history_untouched(demo):
    """An indicator's entries outlive it without any UPDATE (no SET NULL, no cascade), so deleting an
    indicator works under the guard and its entries keep their indicator id and code."""
    indicator = IndicatorFactory(activity=demo.activities.first(), code="9.9.9")
    entry = HistoryEntry.objects.create(
        plan=demo, indicator=indicator, indicator_code=indicator.code, kind=HistoryKind.REMARK, after="x"
    )
    before = rows()
    Indicator.objects.filter(pk=indicator.pk).delete()
    assert rows() == before
    assert HistoryEntry.objects.filter(pk=entry.pk).values_list("indicator_id", "indicator_code").get() == (
        indicator.pk,
        "9.9.9",
    )


def test_a_plan_or_user_with_history_cannot_be_deleted(demo):
    """Plans and users are PROTECTed from deletion while history names them: the ORM refuses before any SQL
    could try to change an entry."""
    entry = HistoryEntry.objects.filter(plan=demo).exclude(user=None).first() or HistoryEntry.objects.create(
        plan=demo,
        kind=HistoryKind.REMARK,
        user=apps.get_model("auth", "User").objects.get(username="mofa.cio"),
    )
    before = rows()
    with pytest.raises(ProtectedError), transaction.atomic():
        demo.delete()
    with pytest.raises(ProtectedError), transaction.atomic():
        entry.user.delete()
    assert rows() == before


def test_the_migration_reverses_and_applies_again(demo):
    """Migrating back removes the guard (a raw UPDATE then works); applying it again restores the refusal."""
    editor = SimpleNamespace(connection=connection, execute=lambda sql, params=(): raw(sql, params))
    entry = HistoryEntry.objects.order_by("pk").first()
    guard.history_guard_remove(apps, editor)
    assert guard_triggers() == []
    raw(f"UPDATE {TABLE} SET reason = 'unguarded' WHERE id = %s", [entry.pk])
    assert HistoryEntry.objects.get(pk=entry.pk).reason == "unguarded"

    guard.history_guard_add(apps, editor)
    assert len(guard_triggers()) == 1
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        raw(f"UPDATE {TABLE} SET reason = 'again' WHERE id = %s", [entry.pk])
    assert HistoryEntry.objects.get(pk=entry.pk).reason == "unguarded"
