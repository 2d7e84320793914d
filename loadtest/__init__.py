"""Tools the product never runs: the national load-data generator, the benchmarks and the deadline-day load
test (issue 12: tools out of the product; STYLE.md: "tools the product never runs live outside the product
apps").

An installed app only so that ``manage.py`` finds its commands — ``generate_load_data``, ``bench``,
``make_sample_evidence`` (DESIGN.md §8) — it has no models, no pages and no addresses. It sits above every
layer: it may import ``base``, ``indicators``, ``evidence``, ``reports`` and ``workflow``; none of them, nor
``apa_tracker``, imports anything from it.

- ``loadgen``: the synthetic national data set of ``generate_load_data``;
- ``bench``: the scenarios of ``bench`` (BENCHMARKS.md);
- ``samples``: the sample evidence files (``make_sample_evidence``, the shared file of the load data);
- ``data/``: the names and texts the generator draws from, as CSV and JSON files;
- ``locustfile.py``: the deadline-day load test against running servers (BENCHMARKS.md).
"""
