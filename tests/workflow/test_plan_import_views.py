"""The plan imported in the browser (issue 13): upload → preview (each row as read, notices, warnings) →
confirm; who may (anonymous → other office → own office); bad input shows its rows and writes nothing; the file
kept between the two only for the user, office and year it was uploaded for."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core import signing

from indicators.models import EDITABLE_STATES, ActionPlan, FiscalYear, HistoryEntry, Indicator
from indicators.periods import periods_ensure
from tests.plan_documents import cabinet_docx, cabinet_xlsx, plan_rows
from workflow.transitions import period_transition

URL = "/plans/msw/2021-22/import/"


def login(client, username: str) -> None:
    client.force_login(get_user_model().objects.get(username=username))


def upload(name: str, data: bytes) -> io.BytesIO:
    handle = io.BytesIO(data)
    handle.name = name
    return handle


def token_of(response) -> str:
    match = re.search(r'name="token" value="([^"]+)"', response.content.decode())
    assert match, "no confirmation form on the page"
    return match[1]


def kept_files(settings) -> list[Path]:
    folder = Path(settings.PRIVATE_FILES_ROOT) / "plan-imports"
    return sorted(folder.iterdir()) if folder.exists() else []


def counts() -> tuple[int, int, int, int]:
    return (
        ActionPlan.objects.count(),
        Indicator.objects.count(),
        HistoryEntry.objects.count(),
        FiscalYear.objects.count(),
    )


def test_anonymous_is_sent_to_sign_in(client, demo):
    for response in (client.get(URL), client.post(URL, {"file": upload("plan.docx", cabinet_docx())})):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("username", ["mofa.officer", "cabinet.reviewer"])
def test_another_offices_user_gets_404_and_nothing_is_kept(client, demo, settings, username):
    """An officer of another ministry, and the parent office's reviewer, may not import MSW's plan."""
    login(client, username)
    before = counts()
    assert client.get(URL).status_code == 404
    assert client.post(URL, {"file": upload("plan.docx", cabinet_docx())}).status_code == 404
    assert counts() == before and kept_files(settings) == []


def test_own_officer_sees_the_preview_and_nothing_is_written_until_confirmed(client, demo, settings):
    """The preview lists every indicator with its file row, unit label and method, the notices and the warnings
    at their rows; no plan, fiscal year or history is written; the file is kept, once."""
    login(client, "msw.officer")
    assert client.get(URL).status_code == 200
    before = counts()
    response = client.post(URL, {"file": upload("plan.docx", cabinet_docx())})
    assert response.status_code == 200
    page = response.content.decode()
    assert "মন্ত্রিপরিষদ বিভাগের ছক" in page and "Word (DOCX)" in page
    assert page.count('class="preview-row') == 7
    assert "হাজার কোটি টাকা (সংখ্যা)" in page and "[এম.২.২.১]" in page
    assert "সতর্কতা / warning" in page and "শুধু অসাধারণ (১০০%) লক্ষ্যমাত্রা ৪০" in page
    assert "দায়িত্বপ্রাপ্ত শাখা&#x27; (N)" in page
    assert "কর্মপরিকল্পনা তৈরি হবে: ২টি ক্ষেত্র, ৪টি কার্যক্রম, ৭টি সূচক" in page
    assert counts() == before
    assert len(kept_files(settings)) == 1

    confirmed = client.post(URL, {"token": token_of(response)})
    assert confirmed.status_code == 302 and confirmed["Location"] == "/plans/msw/2021-22/"
    plan = ActionPlan.objects.get(office__code="msw", fiscal_year__start_year=2021)
    assert plan.indicators.count() == 7
    assert plan.indicators.get(code="এম.2.1.2").unit_label == "হাজার কোটি টাকা"
    assert plan.indicators.get(code="এম.2.2.2").direction == "lower"
    assert kept_files(settings) == []
    assert client.get("/plans/msw/2021-22/").status_code == 200


def test_a_confirmation_sent_twice_writes_once(client, demo, settings):
    login(client, "msw.officer")
    token = token_of(client.post(URL, {"file": upload("plan.xlsx", cabinet_xlsx())}))
    assert client.post(URL, {"token": token}).status_code == 302
    before = counts()
    again = client.post(URL, {"token": token})
    assert again.status_code == 200 and "আবার দিন" in again.content.decode()
    assert counts() == before


def test_bad_input_shows_every_problem_with_its_row_and_writes_nothing(client, demo, settings):
    """A typo date (`07/02/202`, row 6) and a weight that is not a number (row 8): both listed with their rows,
    in Bangla; nothing written and no file kept."""
    rows = plan_rows(bangla=False)
    rows[0][8] = "07/02/202"
    rows[2][6] = "দশ"
    login(client, "msw.officer")
    before = counts()
    response = client.post(URL, {"file": upload("plan.xlsx", cabinet_xlsx(rows=rows))})
    page = response.content.decode()
    assert response.status_code == 200
    assert "আমদানি হয়নি" in page and "কিছুই সংরক্ষণ করা হয়নি" in page
    assert "<td>৬</td>" in page and "07/02/202" in page
    assert "<td>৮</td>" in page and "দশ" in page
    assert 'name="token"' not in page
    assert counts() == before and kept_files(settings) == []


def test_an_unreadable_file_is_refused_in_bangla(client, demo, settings):
    login(client, "msw.officer")
    response = client.post(URL, {"file": upload("plan.docx", b"PK\x03\x04 not really")})
    assert "খোলা যায়নি" in response.content.decode()
    assert kept_files(settings) == []


def test_a_token_is_good_only_for_its_user_office_and_year(client, demo, settings):
    """The token of MSW's 2021-22 upload cannot import into another year, and a token altered by one character
    is refused; nothing is written."""
    login(client, "msw.officer")
    token = token_of(client.post(URL, {"file": upload("plan.docx", cabinet_docx())}))
    before = counts()
    other_year = client.post("/plans/msw/2023-24/import/", {"token": token})
    assert other_year.status_code == 200 and "আবার দিন" in other_year.content.decode()
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    assert "আবার দিন" in client.post(URL, {"token": tampered}).content.decode()
    with pytest.raises(signing.BadSignature):
        signing.loads(tampered, salt="indicators.plan_uploads")
    assert counts() == before


def test_an_import_over_a_submitted_plan_is_refused_at_the_preview(client, demo):
    """MoFA's demo plan has submitted quarters: replacing it is refused before anything is shown to confirm."""
    login(client, "mofa.officer")
    period = periods_ensure(demo)[0]
    if period.state in EDITABLE_STATES:
        officer = get_user_model().objects.get(username="mofa.officer")
        period_transition(
            period=period, action="submit", user=officer, comment="", expected_version=period.version
        )
    before = counts()
    response = client.post(
        "/plans/mofa/2022-23/import/", {"file": upload("plan.xlsx", cabinet_xlsx()), "replace": "on"}
    )
    page = response.content.decode()
    assert "বদলানো যাবে না" in page and 'name="token"' not in page
    assert counts() == before


def test_an_expired_token_is_refused(client, demo, monkeypatch):
    """The kept file is good for PLAN_UPLOAD_MAX_AGE only; after that the officer uploads it again."""
    from indicators import plan_uploads

    login(client, "msw.officer")
    token = token_of(client.post(URL, {"file": upload("plan.docx", cabinet_docx())}))
    monkeypatch.setattr(plan_uploads, "PLAN_UPLOAD_MAX_AGE", -1)
    before = counts()
    assert "মেয়াদ পেরিয়েছে" in client.post(URL, {"token": token}).content.decode()
    assert counts() == before


def test_a_preview_never_confirmed_is_removed_by_a_later_upload(client, demo, settings):
    """An abandoned preview's file does not stay for good: the next upload sweeps files past the age limit."""
    import os
    import time

    login(client, "msw.officer")
    client.post(URL, {"file": upload("plan.docx", cabinet_docx())})
    [old] = kept_files(settings)
    long_ago = time.time() - 3 * 60 * 60
    os.utime(old, (long_ago, long_ago))
    client.post(URL, {"file": upload("plan.xlsx", cabinet_xlsx())})
    kept = kept_files(settings)
    assert old not in kept and len(kept) == 1
