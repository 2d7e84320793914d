"""A real S3-compatible server for the storage tests: moto's server, in this process, on loopback.

The server runs once per test session on a free port of 127.0.0.1; every test gets its own bucket and
object prefix, and the default storage is switched to it through the same environment variables and the
same settings function (``private_files_storage``) as production.
"""

from __future__ import annotations

import logging
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import boto3
import pytest
from moto.server import ThreadedMotoServer

from apa_tracker import settings as settings_module

REGION = "us-east-1"
# Fake credentials: moto accepts any, and a real account's keys must never be used by the tests.
ACCESS_KEY, SECRET_KEY = "apa-test-access-key", "apa-test-secret-key"


@dataclass(frozen=True)
class S3Bucket:
    endpoint_url: str
    name: str
    prefix: str
    client: object  # a boto3 S3 client with the test credentials

    def keys(self) -> list[str]:
        """Every object key in the bucket (prefix included), sorted."""
        listing = self.client.list_objects_v2(Bucket=self.name)
        return sorted(item["Key"] for item in listing.get("Contents", []))

    def read(self, key: str) -> bytes:
        return self.client.get_object(Bucket=self.name, Key=key)["Body"].read()

    def key_of(self, name: str) -> str:
        """The object key of a file stored under ``name`` (a FileField's name) by the default storage."""
        return f"{self.prefix}/{name}"


@pytest.fixture(scope="session")
def s3_server() -> Iterator[str]:
    """moto's S3 server on 127.0.0.1, a free port chosen by the system; yields its endpoint URL."""
    werkzeug = logging.getLogger("werkzeug")
    level = werkzeug.level
    werkzeug.setLevel(logging.ERROR)  # one access-log line per request otherwise
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()
    werkzeug.setLevel(level)


@pytest.fixture
def s3_bucket(s3_server, _private_files, settings, monkeypatch) -> S3Bucket:
    """A fresh private bucket on the moto server, made the default storage of evidence and reports.

    Requests ``_private_files`` (the autouse fixture that points storage at a temporary folder) so that this
    one runs after it and replaces its setting; assigning ``settings.STORAGES`` fires Django's
    ``setting_changed``, which resets ``storages`` and ``default_storage`` — the FileFields use the latter.
    """
    name = f"apa-{uuid.uuid4().hex[:20]}"
    prefix = "apa-tracker"
    for variable in ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_S3_SESSION_PROFILE"):
        monkeypatch.delenv(variable, raising=False)
    environment = {
        "APA_STORAGE": "s3",
        "APA_S3_BUCKET": name,
        "APA_S3_ENDPOINT_URL": s3_server,
        "APA_S3_REGION": REGION,
        "APA_S3_PREFIX": f"/{prefix}/",
        "APA_S3_ADDRESSING_STYLE": "path",
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
    }
    for variable, value in environment.items():
        monkeypatch.setenv(variable, value)
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    client.create_bucket(Bucket=name)
    settings.STORAGES = {
        **settings.STORAGES,
        # From the (patched) environment, through the function production settings use.
        "default": settings_module.private_files_storage(os.environ, local_root=settings.PRIVATE_FILES_ROOT),
    }
    return S3Bucket(endpoint_url=s3_server, name=name, prefix=prefix, client=client)
