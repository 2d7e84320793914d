"""A plan document kept on the server between its preview and its confirmation (issue 13).

The browser's import shows how each row was read and writes only when the officer confirms. The file is not
sent twice and never travels through the page: it is kept in the private file storage (``STORAGES["default"]``,
outside the web root, shared by every app server) under a random name, and the page carries only a signed token
naming it, for whom, for which office and year, with the file's SHA-256. The confirmation is refused if the
token was altered, is older than ``PLAN_UPLOAD_MAX_AGE``, was made for another user, office or year, or if the
file changed; the file is removed once confirmed or refused, and a preview never confirmed is removed by the
next upload once it is past that age.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import secrets
from dataclasses import dataclass

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from base.errors import DomainError

PLAN_UPLOAD_MAX_AGE = 2 * 60 * 60  # seconds: time enough to read the preview, not a store of files
_SALT = "indicators.plan_uploads"
_FOLDER = "plan-imports"

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class KeptUpload:
    data: bytes
    name: str
    replace: bool
    storage_name: str


def _expired() -> DomainError:
    return DomainError(
        "আমদানির জন্য রাখা ফাইলটি আর নেই বা মেয়াদ পেরিয়েছে (হয়তো আগেই আমদানি হয়েছে); ফাইলটি আবার দিন।",
        "The file kept for the import is gone or expired (perhaps it was imported already); upload it again.",
    )


def plan_upload_keep(
    *, data: bytes, name: str, replace: bool, user_id: int, office_id: int, year: str
) -> str:
    """Keep an uploaded plan document until it is confirmed; the signed token that names it."""
    _sweep()
    storage_name = default_storage.save(f"{_FOLDER}/{secrets.token_hex(16)}.upload", ContentFile(data))
    payload = {
        "s": storage_name,
        "n": name[:200],
        "r": bool(replace),
        "u": user_id,
        "o": office_id,
        "y": year,
        "h": hashlib.sha256(data).hexdigest(),
    }
    return signing.dumps(payload, salt=_SALT, compress=True)


def _payload(token: str) -> dict:
    try:
        return signing.loads(token, salt=_SALT, max_age=PLAN_UPLOAD_MAX_AGE)
    except signing.BadSignature as error:  # SignatureExpired included
        raise _expired() from error


def plan_upload_take(*, token: str, user_id: int, office_id: int, year: str) -> KeptUpload:
    """The document kept under ``token`` for this user, office and year; DomainError otherwise."""
    payload = _payload(token)
    if (payload.get("u"), payload.get("o"), payload.get("y")) != (user_id, office_id, year):
        raise _expired()
    storage_name = str(payload.get("s", ""))
    if not storage_name.startswith(f"{_FOLDER}/") or ".." in storage_name:
        raise _expired()
    try:
        with default_storage.open(storage_name, "rb") as handle:
            data = handle.read()
    except (FileNotFoundError, OSError) as error:
        raise _expired() from error
    if hashlib.sha256(data).hexdigest() != payload.get("h"):
        plan_upload_discard(storage_name)
        raise _expired()
    return KeptUpload(
        data=data, name=str(payload.get("n", "")), replace=bool(payload.get("r")), storage_name=storage_name
    )


def _sweep() -> None:
    """Remove the kept documents whose previews were never confirmed (older than ``PLAN_UPLOAD_MAX_AGE``)."""
    limit = timezone.now() - datetime.timedelta(seconds=PLAN_UPLOAD_MAX_AGE)
    try:
        _folders, names = default_storage.listdir(_FOLDER)
    except (FileNotFoundError, OSError):
        return
    for name in names:
        path = f"{_FOLDER}/{name}"
        try:
            if default_storage.get_modified_time(path) < limit:
                default_storage.delete(path)
        except (FileNotFoundError, OSError, NotImplementedError) as error:
            logger.info("kept plan upload %s not swept: %r", path, error)


def plan_upload_discard(storage_name: str) -> None:
    """Remove a kept document (confirmed, refused or abandoned)."""
    if storage_name.startswith(f"{_FOLDER}/"):
        try:
            default_storage.delete(storage_name)
        except OSError:
            pass
