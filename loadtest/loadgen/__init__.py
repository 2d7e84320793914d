"""A national-size synthetic data set for load tests: `generate_load_data` (DESIGN.md §8, issue 6).

What it builds, for one fiscal year:

- an office tree like the real one under the Cabinet Division (মন্ত্রিপরিষদ বিভাগ, code ``cabinet``; the same
  root `load_demo` creates, so ``cabinet.reviewer`` sees the generated ministries too — created here with the
  demo's name when it is missing): ministries and divisions → departments and agencies → divisional,
  district and upazila offices of the departments that have a field network, with real division, district
  and upazila names. ``--offices N`` is the number of generated offices below the root, exactly; at 24,000
  the proportions are the national ones (55 ministries/divisions besides the demo's three, 400
  departments), and they shrink with the square root of N, so that a test with 120 offices still has every
  level. Every generated office's code starts with ``lg-`` (the marker: no model change needed);
- one plan per office, copied from the demo plan (``apa_tracker/demo/mofa-2022-23/plan.csv``) with the
  weights moved between the indicators of an area and the targets varied inside the rules of DESIGN.md §3.5;
- progress for the quarters that have been reached, drawn so that offices spread over the whole range
  (some excellent, some below 60 %), not-applicable indicators (the "reports of subordinate offices"
  indicator of an office without subordinate offices, and a few others), remarks;
- evidence rows for reported values, all pointing at ONE shared two-page PDF stored once in default
  storage under ``evidence/lg-shared/<sha256>.pdf`` with its true SHA-256 and page count (a re-hash of the
  evidence of locked periods finds it intact; the storage holds one file, not hundreds of thousands);
- the four reporting periods with the workflow simulated on a timeline: submissions around the deadlines
  (some late, some never), CIO returns, approvals, sending, the parent office's reviewer accepting or
  returning, everything cut at the moment the data describes (``as_of``: the Q4 deadline of the year at
  18:00, or now for a year still running). States, versions and `PeriodTransition` rows therefore agree,
  and every period that was approved carries the score snapshot the scoring service computes
  (`scoring.score_plan` + `plan_score_json`, in Python, from the generated values);
- the append-only history as the services would have written it: one entry per progress value and remark,
  evidence added, applicability changed and state transition;
- users ``<office code>.officer`` and ``<office code>.cio`` for every office, ``<office code>.reviewer`` for
  every office with child offices and ``lg-cabinet.reviewer`` for the root, all with one password (hashed
  once).

Every generated plan has the same structure: the demo plan's 12 indicators in two areas (30 + 20 marks) and a
13th, as in the 2023-24 plans (issue 6 asks for 13): "[১.৫.১] স্মার্ট বাংলাদেশ বিনির্মাণ বিষয়ক কর্মপরিকল্পনা
প্রণীত" (the 2023-24 plans ask for a Smart Bangladesh action plan; seed 003 is the one the Ministry of Social
Welfare sent), a date indicator whose 3 marks are taken from 1.2.2 (7 → 4), so area 1 still sums to 30.

Decisions:
- All or nothing: one transaction, so a failure leaves nothing behind; the shared evidence file is removed
  again if this run stored it. (`evidence.services.evidence_remove` deletes a stored file only with the last
  row that uses it, so an officer removing one generated evidence row leaves the shared file in place.)
- Offices, users and memberships go through bulk_create; the plan-level tables (millions of rows) are written
  as plain rows with reserved primary keys — COPY on PostgreSQL, executemany elsewhere — because creating
  and preparing that many model instances took most of the time (measured: about 50 s per 1,200 offices with
  bulk_create against about 20 s with COPY, on the same loaded machine).
- No ``--replace``: a second run is refused while generated offices exist. The history is append-only, so
  generated data cannot be deleted through the application; start from a fresh database instead.
- Approved periods get their approvals (versions, with marks, sent and superseded times) but no
  `ApprovedReport` (rendering tens of thousands of PDFs is not load data): their report download answers
  "being prepared". Quarters go forward in order, as the workflow allows.
- Deterministic: the same ``--seed``, year and data files give the same offices, plans, values, states and
  times (each office draws from its own generator seeded with the seed and its code). Only a year still
  running depends on the clock, through ``as_of``.

Where each part lives (each module's docstring says why it is so):

- ``tree``: the office tree (pure); ``names``: the names and texts it draws from, read from ``loadtest/data/``;
- ``plans``: the plan template and what each office varies — weights, targets, values (pure);
- ``timeline``: one period's workflow on a timeline (pure);
- ``shared_file``: the one stored evidence file; ``rows``: plain rows with reserved keys, COPY or executemany;
- ``office_plan``: one office's year as rows, in a fixed order of draws;
- ``generate``: a run — arguments, the transaction, offices and users, the plans chunk by chunk.
"""
