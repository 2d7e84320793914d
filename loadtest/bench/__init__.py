"""`bench SCENARIO [--repeat N] --json` (DESIGN.md §8): time a page or an action on the current database.

The page scenarios go through the real stack (URL routing, middleware, session, view, template) with
Django's test client, signed in as a user of the data being measured; the report scenarios call the
service every report download and job calls (``render_report``). One untimed warm-up run fills caches and
creates whatever is created on first use (the plan's periods, a cover letter); one untimed run counts the
queries; then ``--repeat`` timed runs (``measure`` says how memory is measured).

Nothing is left behind: the whole benchmark runs in one transaction that is rolled back at the end. That is
forced by the domain, not only simpler: a progress save writes append-only history (DESIGN.md §4), which
no restore may delete, so a committed save would always leave rows behind. The price is that the
`progress-save` figure measures the save's statements but not the final COMMIT (on SQLite the fsync).
`report-200` attaches its evidence inside that transaction too, its files in a temporary storage folder
that is deleted afterwards: the project's own storage is never written to.

The national-scale scenarios need no plan: `inbox` and `summary` are a reviewer's pages (`--user`, or by
default the reviewer of the plan office's parent for `inbox`, and of the root office of the largest tree for
`summary`: the Cabinet Division); `score-all` scores every plan of `--year` from its progress with the
scoring service, reading the rows in chunks of plans (``indicators.scores.year_plan_scores``), and writes
nothing. `summary --quarter 1..4|all` asks for one quarter or all four instead of the page's default. Pages
are requested over HTTPS, as behind the production load balancer: with ``DJANGO_DEBUG=0`` a plain-HTTP
request would only get the redirect to HTTPS.

`report-jobs [--jobs N] [--workers K] [--report annual]` is the one scenario that commits: report jobs go
through the database queue to `manage.py report_worker` processes, which cannot see an uncommitted
transaction. It queues N draft jobs once K workers are ready, reports jobs per minute from the queueing to
the last job done, and then deletes everything the jobs made (``report_jobs``). BENCHMARKS.md has the
figures and how to reproduce them.

Where each part lives: ``measure`` (a ``Scenario``, its runs and figures), ``pages`` (`plan-page`, `inbox`,
`summary`, `progress-save`), ``score_all``, ``report_render`` (`report`, `report-200`), ``report_jobs``
(`report-jobs` and its worker processes) and ``scenarios`` (the names the command line knows); the command
itself (``loadtest/management/commands/bench.py``) reads the options and prints the result.
"""
