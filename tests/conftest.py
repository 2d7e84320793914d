import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from indicators.models import ActionPlan


@pytest.fixture
def demo(db) -> ActionPlan:
    """The demo data set loaded through `load_demo` (offices, MoFA 2022-23 plan and progress, users)."""
    call_command("load_demo", password="test-pass-123", stdout=open("/dev/null", "w"))
    return ActionPlan.objects.get(office__code="mofa", fiscal_year__start_year=2022)


@pytest.fixture(autouse=True)
def _report_jobs_queued(settings):
    """Approvals queue their report jobs without rendering; report tests switch to "inline"."""
    settings.REPORT_JOBS_MODE = "worker"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 is slow on purpose; tests only need passwords to check, not to resist attack."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Evidence written by a test goes to the test's own folder, never to var/."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    settings.PRIVATE_FILES_ROOT = tmp_path / "private"


@pytest.fixture(scope="session")
def _signing_folder(tmp_path_factory):
    """One demo CA and office certificates for the whole run (RSA keys take a moment to make)."""
    return tmp_path_factory.mktemp("signing")


@pytest.fixture(autouse=True)
def _signing_keys(settings, _signing_folder, monkeypatch):
    """Demo signing keys go to the run's own folder, never to var/signing — in the test's process and in the
    processes it starts (report workers, restores), so that all of them sign with the same demo CA."""
    settings.REPORT_SIGNING = "demo"
    settings.REPORT_SIGNING_DIR = _signing_folder
    monkeypatch.setenv("APA_SIGNING", "demo")
    monkeypatch.setenv("APA_SIGNING_DIR", str(_signing_folder))


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's language: a request in English leaves its language active in the
    thread (Django does not switch it back), and a later test must not inherit it."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
