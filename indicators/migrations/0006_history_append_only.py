"""The change history is append-only in the database too, not only in the ORM (DESIGN.md §4, issue 5).

PostgreSQL: a row trigger refuses every UPDATE and DELETE of ``indicators_historyentry``, whoever sends it
(the application, ``manage.py dbshell``, a script with the application's credentials). INSERT stays allowed.

SQLite (the embedded setup): only UPDATE is refused. Django empties SQLite tables with ``DELETE FROM``
(``manage.py flush`` and the test framework's TransactionTestCase), so a DELETE trigger there would break both;
in the embedded setup whoever can write the database file can change anything anyway.

Out of scope, on purpose:
- TRUNCATE is not blocked: Django's ``flush`` and the test framework use it on PostgreSQL. Production should
  run the application as a role that owns no table and has no TRUNCATE grant (see docs/backup.md), so only
  the owner can truncate — and the owner or a superuser can also disable or drop the trigger.
- Nothing in the application needs to change or delete history rows: the plan FK is PROTECT, the indicator
  FK is DO_NOTHING without a database constraint and the user FK is PROTECT, so deleting plans, indicators or
  users never updates an entry (a SET_NULL would, and would now fail).

A later migration that must rewrite history rows on PostgreSQL (like 0004's fill) has to disable the trigger
around it (``ALTER TABLE … DISABLE TRIGGER indicators_historyentry_append_only``, as the table owner).
On SQLite, a migration that remakes this table (most AlterField/RemoveField operations) drops the trigger
with the old table: run ``history_guard_add`` again after it
(``importlib.import_module("indicators.migrations.0006_history_append_only").history_guard_add``). tests/security/test_history_immutable.py
checks that the guard exists after all migrations.
"""

from django.db import migrations

TRIGGER = "indicators_historyentry_append_only"
SQLITE_TRIGGER = "indicators_historyentry_no_update"


def _table(apps) -> str:
    return apps.get_model("indicators", "HistoryEntry")._meta.db_table


def history_guard_add(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name(_table(apps))
    if connection.vendor == "postgresql":
        schema_editor.execute(
            f"""
            CREATE OR REPLACE FUNCTION {TRIGGER}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION 'history entries are append-only: % on % refused', TG_OP, TG_TABLE_NAME
                    USING HINT = 'indicators_historyentry can be added to, never changed or deleted.';
            END;
            $$
            """,
            None,  # no parameters: the % signs are PL/pgSQL's, not placeholders
        )
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}", None)
        schema_editor.execute(
            f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {TRIGGER}()",
            None,
        )
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TRIGGER}", None)
        schema_editor.execute(
            f"CREATE TRIGGER {SQLITE_TRIGGER} BEFORE UPDATE ON {table} "
            "BEGIN SELECT RAISE(ABORT, 'history entries are append-only: UPDATE refused'); END",
            None,
        )


def history_guard_remove(apps, schema_editor):
    connection = schema_editor.connection
    table = connection.ops.quote_name(_table(apps))
    if connection.vendor == "postgresql":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {table}", None)
        schema_editor.execute(f"DROP FUNCTION IF EXISTS {TRIGGER}()", None)
    elif connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {SQLITE_TRIGGER}", None)


class Migration(migrations.Migration):
    dependencies = [("indicators", "0005_history_kind_report_text")]

    operations = [migrations.RunPython(history_guard_add, history_guard_remove, elidable=False)]
