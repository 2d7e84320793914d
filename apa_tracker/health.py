"""GET /healthz — is this app server able to serve? For load balancers, process supervisors and people.

200 {"status": "ok", "database": "ok", "storage": "ok", "version": …} when a `SELECT 1` answers and the
default storage (local folder or the S3 bucket) takes a small probe file, gives the same bytes back and
deletes it; 503 with "error" for the part that failed otherwise. No sign-in, never cached, no details of
the failure (no host names, paths or exception texts: those go to the log). Cheap: one query, and one
write, read and delete of a few bytes.

The probe must send a Host header from DJANGO_ALLOWED_HOSTS (else Django answers 400 before this view);
it is exempt from the HTTPS redirect (settings.SECURE_REDIRECT_EXEMPT) so a plain-HTTP probe gets 200.
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from importlib import metadata

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

logger = logging.getLogger(__name__)

PROBE = b"apa-tracker health probe\n"

try:
    VERSION = metadata.version("apa-tracker")
except metadata.PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "unknown"


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database failed")
        return False


def storage_ok() -> bool:
    name = None
    try:
        # A random name, so that app servers probing at once never touch each other's file.
        name = default_storage.save(f"health/{uuid.uuid4().hex}.txt", ContentFile(PROBE))
        with default_storage.open(name, "rb") as probe:
            read_back = probe.read()
        default_storage.delete(name)
        name = None
        return read_back == PROBE
    except Exception:
        logger.exception("health check: storage failed")
        return False
    finally:
        if name is not None:  # written but not read back or deleted: try not to leave it behind
            try:
                default_storage.delete(name)
            except Exception:
                logger.warning("health check: could not delete probe %s", name)


# The storage probe writes, reads and deletes a file: anyone may call /healthz, so each app process probes
# at most once per STORAGE_PROBE_SECONDS and answers from that result in between (a failure shows within
# that time; a flood of probes never becomes a flood of writes to the bucket).
STORAGE_PROBE_SECONDS = 10.0
_storage_probe: dict[str, float | bool] = {}
_storage_probe_lock = threading.Lock()


def storage_ok_recently() -> bool:
    with _storage_probe_lock:
        now = time.monotonic()
        if _storage_probe and now - float(_storage_probe["at"]) < STORAGE_PROBE_SECONDS:
            return bool(_storage_probe["ok"])
        ok = storage_ok()
        _storage_probe.update(at=time.monotonic(), ok=ok)
        return ok


@never_cache
@require_http_methods(["GET", "HEAD"])
def healthz(request: HttpRequest) -> JsonResponse:
    database = "ok" if database_ok() else "error"
    # Storage is probed even when the database is down, so one answer tells everything that is wrong.
    storage = "ok" if storage_ok_recently() else "error"
    healthy = database == "ok" and storage == "ok"
    body = {
        "status": "ok" if healthy else "error",
        "database": database,
        "storage": storage,
        "version": VERSION,
    }
    return JsonResponse(body, status=200 if healthy else 503)
