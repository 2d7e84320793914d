"""gunicorn settings for APA Tracker (`make serve`; docs/deployment.md). Everything can be set from the
environment, so every app server of a deployment runs the same file:

    APA_BIND              address:port to listen on            127.0.0.1:8000
    APA_WORKERS           worker processes                     2 × cores + 1, at most 8
    APA_THREADS           threads per worker (>1: gthread)     1
    APA_TIMEOUT           seconds a request may take           120
    APA_GRACEFUL_TIMEOUT  seconds to finish requests on stop   30
    APA_ACCESS_LOG        access log file, "-" for stdout      -
    APA_FORWARDED_ALLOW_IPS  proxies whose X-Forwarded-* count  127.0.0.1

gunicorn reads this file from the working directory (the repository root) on its own.
"""

from __future__ import annotations

import os

wsgi_app = "apa_tracker.wsgi:application"

bind = [
    address.strip() for address in os.environ.get("APA_BIND", "127.0.0.1:8000").split(",") if address.strip()
]

# gunicorn's rule of thumb, capped: each worker holds a WeasyPrint (draft PDFs are rendered in the web
# process when asked for directly), around 150 MB, and the machine also runs PostgreSQL and the worker.
workers = int(os.environ.get("APA_WORKERS", "0")) or min(2 * (os.cpu_count() or 1) + 1, 8)
threads = int(os.environ.get("APA_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

# A draft annual report with 200 evidence pages rendered in the request takes tens of seconds on a slow
# machine; downloads of approved PDFs stream from storage. 30 s (gunicorn's default) would kill the former.
timeout = int(os.environ.get("APA_TIMEOUT", "120"))
# On SIGTERM (deploy, scale down) requests in flight get this long to finish.
graceful_timeout = int(os.environ.get("APA_GRACEFUL_TIMEOUT", "30"))
keepalive = 5

# Workers are recycled now and then, so that memory a long render leaves behind is given back.
max_requests = int(os.environ.get("APA_MAX_REQUESTS", "1000"))
max_requests_jitter = max_requests // 10

# The access log carries the request time in microseconds (%(D)s, last field) for the load test
# (BENCHMARKS.md): the combined format plus the time.
accesslog = os.environ.get("APA_ACCESS_LOG", "-")
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(D)s'
errorlog = "-"
loglevel = os.environ.get("APA_LOG_LEVEL", "info")

# Behind a reverse proxy on the same machine; set to its address when it runs elsewhere.
forwarded_allow_ips = os.environ.get("APA_FORWARDED_ALLOW_IPS", "127.0.0.1")

# Heartbeat files in memory rather than on a disk that may be slow or full (gunicorn's advice for containers).
if os.path.isdir("/dev/shm"):
    worker_tmp_dir = "/dev/shm"

proc_name = "apa-tracker"
