"""The web page through its ASGI app (Starlette's test client): pages, language, JSON API, accounts, safety.

Browser tests in a real Chromium are in test_web_browser.py; the load test is bench/web_load.py.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("starlette", reason="the web page needs its extra: pip install -e '.[web]'")
pytest.importorskip("httpx", reason="the web tests need httpx: pip install -e '.[dev]'")

from click.testing import CliRunner  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402
from web_support import IMG, PAYLOADS, copy_samples, csrf_of, payload_document  # noqa: E402

import procreg  # noqa: E402
from procreg.cli import cli  # noqa: E402
from procreg.i18n import set_language  # noqa: E402
from procreg.presentation.procedures import list_json, show_json  # noqa: E402
from procreg.web.app import create_app  # noqa: E402

# The web page speaks Vietnamese by default, as its users see it (English pages are tested with set_language).
pytestmark = pytest.mark.vietnamese


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> procreg.Registry:
    """The samples and the payload document, ingested; no account (served to 127.0.0.1 as the local user)."""
    base = tmp_path_factory.mktemp("web")
    reg = procreg.Registry(base / "home")
    report = reg.ingest([*copy_samples(base / "docs"), payload_document(base / "docs")])
    assert not report.failed
    return reg


@pytest.fixture
def client(registry: procreg.Registry) -> TestClient:
    set_language("vi")
    return TestClient(create_app(registry), base_url="http://127.0.0.1")


def _payload_id(registry: procreg.Registry) -> int:
    return next(p.id for p in registry.procedures() if "<script>" in p.name)


# --------------------------------------------------------------------------------------------------
# Pages


def test_home_counts_audit_chart_and_events(client: TestClient, registry: procreg.Registry) -> None:
    html = client.get("/").text
    assert '<html lang="vi">' in html
    assert "Thủ tục hành chính nội bộ" in html and "Sự kiện gần đây" in html
    assert f">{len(registry.procedures())}<" in html  # the count of procedures
    report = registry.audit()
    c = report.coverage
    assert f"{c.covered}/{c.in_scope}" in html  # the audit against the target
    assert "chỉ tiêu 90%" in html
    assert "<svg" in html  # the per-unit chart
    assert "45/QĐ-SNgV" in html  # a recent event's evidence


def test_search_accent_insensitive_with_filters(client: TestClient) -> None:
    html = client.get("/search", params={"q": "hoi nghi quoc te"}).text
    first = html.index('class="hit"')
    assert "QT.NV.01" in html[first : first + 600]
    assert "<mark>" in html  # matched words marked, the rest escaped
    partial = client.get("/search", params={"q": "doan vao", "partial": "1"}).text
    assert "<html" not in partial and "QT.NV.03" in partial
    none = client.get("/search", params={"q": "hoi nghi", "status": "withdrawn"}).text
    assert "Không có kết quả" in none


def test_procedure_page_fields_steps_total_diagram_history(
    client: TestClient, registry: procreg.Registry
) -> None:
    pid = registry.get("QT.NV.01").record.id
    html = client.get(f"/procedures/{pid}").text
    assert "Cho phép tổ chức hội nghị, hội thảo quốc tế" in html
    assert "Phòng Hợp tác quốc tế" in html  # a step's unit
    assert "Σ thời gian tính: 120 giờ (15 ngày làm việc)" in " ".join(html.split())
    assert "trong thời hạn" in html
    assert "<svg" in html and "<?xml" not in html  # the swimlane diagram inline
    for suffix in ("svg", "mmd", "dot", "bpmn"):
        assert f"/procedures/{pid}/diagram.{suffix}" in html
        r = client.get(f"/procedures/{pid}/diagram.{suffix}")
        assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    assert client.get(f"/procedures/{pid}/diagram.exe").status_code == 404
    documents = {d.number: d.id for d in registry.documents()}
    assert f'href="/documents/{documents["45/QĐ-SNgV"]}/file"' in html  # evidence links to the source


def test_catalog_by_unit_and_field(client: TestClient) -> None:
    html = client.get("/catalog").text
    assert "Theo đơn vị" in html and "Theo lĩnh vực" in html and "Phòng Hợp tác quốc tế" in html
    listed = client.get("/catalog", params={"unit": "Phòng Hợp tác quốc tế"}).text
    assert "QT.NV.01" in listed and "QT.NV.04" not in listed


def test_documents_download_the_original_file(client: TestClient, registry: procreg.Registry) -> None:
    html = client.get("/documents").text
    doc = next(d for d in registry.documents() if d.format == "docx")
    assert f'href="/documents/{doc.id}/file"' in html
    r = client.get(f"/documents/{doc.id}/file")
    assert r.status_code == 200 and r.content == Path(doc.path).read_bytes()


def test_changed_file_is_not_served_as_the_document(tmp_path: Path) -> None:
    reg = procreg.Registry(tmp_path / "home")
    (path,) = copy_samples(tmp_path / "docs", ("kh-01-sngv-2023-cchc.txt",))
    reg.ingest([path])
    path.write_text("đã sửa", encoding="utf-8")
    c = TestClient(create_app(reg), base_url="http://127.0.0.1")
    assert c.get(f"/documents/{reg.documents()[0].id}/file").status_code == 404


def test_audit_page_and_downloads(client: TestClient, registry: procreg.Registry) -> None:
    from procreg.web.views import audit_tables

    for title, head, rows in audit_tables(registry.audit(period="2023")):
        assert all(len(row) == len(head) for row in rows), title
    html = client.get("/audit", params={"period": "2023"}).text
    assert "Tổng hợp" in html and "Còn thiếu" in html and "period=2023" in html
    docx = client.get("/audit/report.docx", params={"period": "2023"})
    assert docx.status_code == 200 and docx.content.startswith(b"PK")
    csv = client.get("/audit/report.csv", params={"period": "2023"})
    assert csv.content.startswith("\ufeff".encode()) and "QT.NV.01" in csv.text
    assert client.get("/audit/report.html").text.startswith("<!DOCTYPE html>")
    xlsx = client.get("/audit/report.xlsx", params={"period": "2023"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(xlsx.content))
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value}
    assert any("QT.NV.01" in c for c in cells)
    assert client.get("/audit/report.exe").status_code == 404
    assert "Chỉ tiêu phải là một số" in client.get("/audit", params={"target": "abc"}).text


def test_english_with_procreg_lang(client: TestClient) -> None:
    set_language("en")
    try:
        html = client.get("/").text
        assert '<html lang="en">' in html and "Latest events" in html and "Sự kiện gần đây" not in html
    finally:
        set_language("vi")


def test_numbers_and_dates_in_the_office_style(client: TestClient, registry: procreg.Registry) -> None:
    pid = registry.get("QT.NV.01").record.id
    html = client.get(f"/procedures/{pid}").text
    assert "15/03/2023" in html and "2023-03-15" not in html.split("<svg")[0]
    assert "0,5 ngày" in html  # decimal comma


# --------------------------------------------------------------------------------------------------
# Recording events, uploads


def test_review_through_the_form_is_recorded_with_the_account(
    client: TestClient, registry: procreg.Registry
) -> None:
    pid = registry.get("QT.NV.02").record.id
    form = client.get(f"/procedures/{pid}/record").text
    r = client.post(
        f"/procedures/{pid}/record/review",
        data={"csrf": csrf_of(form), "on": "20/07/2023", "note": "rà soát 6 tháng cuối năm"},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"] == f"/procedures/{pid}#history"
    history = client.get(r.headers["location"]).text
    assert "Đã ghi nhận: rà soát ngày 20/07/2023" in history
    event = [e for _v, e in registry.get(f"#{pid}").events if e.kind == "reviewed"][-1]
    assert event.on == "2023-07-20" and event.note == "rà soát 6 tháng cuối năm"
    assert event.by  # the local user's name


def test_a_refused_event_is_shown_beside_its_form(client: TestClient, registry: procreg.Registry) -> None:
    pid = registry.get("QT.NV.02").record.id
    form = client.get(f"/procedures/{pid}/record").text
    r = client.post(f"/procedures/{pid}/record/review", data={"csrf": csrf_of(form), "on": "31/02/2023"})
    assert r.status_code == 400 and 'role="alert"' in r.text and 'value="31/02/2023"' in r.text


@pytest.fixture
def one_decision(tmp_path: Path) -> procreg.Registry:
    """QĐ 45/QĐ-SNgV (QT.NV.01 and QT.NV.02) alone, for tests that change its history."""
    reg = procreg.Registry(tmp_path / "home")
    assert not reg.ingest(
        copy_samples(tmp_path / "docs", ("qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",))
    ).failed
    return reg


def _post(c: TestClient, pid: int, action: str, **values: str) -> Any:
    token = csrf_of(c.get(f"/procedures/{pid}/record").text)
    return c.post(
        f"/procedures/{pid}/record/{action}", data={"csrf": token, **values}, follow_redirects=False
    )


def test_the_forms_check_events_as_the_command_line_does(one_decision: procreg.Registry) -> None:
    """Issue 13's checks through the forms: an unregistered decision and a future date are refused in
    words beside the form (never a 500), "record anyway" keeps the reasons, a repeat adds nothing, a
    mistaken review is undone, a withdrawn procedure takes nothing but a restore; each by the account."""
    reg = one_decision
    c = TestClient(create_app(reg), base_url="http://127.0.0.1")
    pid = reg.get("QT.NV.02").record.id
    other = reg.get("QT.NV.01").record.id

    refused = _post(c, pid, "publish", decision="999/QĐ-XYZ", on="16/03/2023")
    assert refused.status_code == 400 and "Chưa ghi nhận gì" in refused.text and "999/QĐ-XYZ" in refused.text
    assert 'name="force"' in refused.text  # the form now offers to record it anyway
    assert _post(c, pid, "publish", decision="999/QĐ-XYZ", on="16/03/2023", force="1").status_code == 303
    forced = reg.get(f"#{pid}").events[-1][1]
    assert forced.kind == "published" and forced.forced and "999/QĐ-XYZ" in forced.forced and forced.by
    assert "Vẫn ghi nhận" in c.get(f"/procedures/{pid}").text  # the flash, then the history's note

    future = _post(c, pid, "review", on="01/01/2099")
    assert future.status_code == 400 and "Chưa ghi nhận gì" in future.text and "2099" in future.text
    assert "--force" not in future.text  # the page's own way round a refusal is its "record anyway" box
    assert _post(c, pid, "review", on="20/07/2023", note="rà soát").status_code == 303
    assert _post(c, pid, "review", on="20/07/2023", note="rà soát").status_code == 303
    assert "Đã ghi nhận từ trước" in c.get(f"/procedures/{pid}").text
    reviews = [e for _v, e in reg.get(f"#{pid}").events if e.kind == "reviewed"]
    assert len(reviews) == 1 and reviews[0].by == forced.by

    review_id = reviews[0].id
    assert f'<option value="{review_id}"' in c.get(f"/procedures/{pid}/record").text
    foreign = next(e.id for _v, e in reg.get(f"#{other}").events if e.id is not None)
    assert _post(c, pid, "undo", event=str(foreign), reason="nhầm").status_code == 400  # not this one's
    assert _post(c, pid, "undo", event=str(review_id), reason="ghi nhầm ngày").status_code == 303
    cancel = reg.get(f"#{pid}").events[-1][1]
    assert cancel.kind == "cancelled" and cancel.cancels == review_id and cancel.by == forced.by
    assert f"(đã bị hủy bởi sự kiện #{cancel.id})" in c.get(f"/procedures/{pid}").text

    assert _post(c, pid, "withdraw", on="01/08/2023", reason="thay thế").status_code == 303
    page = c.get(f"/procedures/{pid}/record").text
    assert 'id="form-restore"' in page and 'id="form-review"' not in page
    after = _post(c, pid, "review", on="02/08/2023")
    assert after.status_code == 400 and "Chưa ghi nhận gì" in after.text
    assert _post(c, pid, "restore", on="03/08/2023", reason="quyết định thu hồi bị hủy").status_code == 303
    assert reg.get(f"#{pid}").record.status == "active"
    assert reg.check().sound
    token = csrf_of(c.get(f"/procedures/{pid}/record").text)
    missing = c.post("/procedures/99999/record/review", data={"csrf": token, "on": "20/07/2023"})
    assert missing.status_code == 404  # no such procedure: not a form error


def test_the_account_is_part_of_the_hashed_event(one_decision: procreg.Registry) -> None:
    """A write's account is event content: rewriting who made it behind procreg's back breaks the chain."""
    import sqlite3

    reg = one_decision
    c = TestClient(create_app(reg), base_url="http://127.0.0.1")
    pid = reg.get("QT.NV.01").record.id
    assert _post(c, pid, "review", on="20/07/2023").status_code == 303
    event = reg.get(f"#{pid}").events[-1][1]
    assert event.by and reg.check().sound
    conn = sqlite3.connect(reg.db_path, isolation_level=None)
    conn.execute("DROP TRIGGER events_no_update")
    conn.execute("UPDATE events SET by = 'nguoi-khac' WHERE id = ?", (event.id,))
    conn.close()
    found = reg.check()
    assert not found.sound and found.first_bad == event.id
    assert f"Lịch sử sự kiện bị hỏng từ sự kiện #{event.id}" in c.get(f"/procedures/{pid}").text


def test_the_api_records_restore_and_undo_and_answers_a_repeat_with_200(
    one_decision: procreg.Registry,
) -> None:
    reg = one_decision
    c = TestClient(create_app(reg), base_url="http://127.0.0.1")
    pid = reg.get("QT.NV.01").record.id
    headers = {"X-CSRF-Token": c.get("/api/session").json()["csrf"]}
    review = {"on": "2023-07-20", "note": "rà soát"}
    assert c.post(f"/api/procedures/{pid}/review", json=review, headers=headers).status_code == 201
    assert c.post(f"/api/procedures/{pid}/review", json=review, headers=headers).status_code == 200
    refused = c.post(f"/api/procedures/{pid}/review", json={"on": "2099-01-01"}, headers=headers)
    assert refused.status_code == 400 and refused.json()["exit_code"] == 2
    forced = c.post(
        f"/api/procedures/{pid}/review", json={"on": "2099-01-01", "force": True}, headers=headers
    )
    assert forced.status_code == 201
    review_id = next(e.id for _v, e in reg.get(f"#{pid}").events if e.kind == "reviewed" and e.on < "2099")
    undo = {"event": review_id, "reason": "ghi nhầm"}
    assert c.post(f"/api/procedures/{pid}/undo", json=undo, headers=headers).status_code == 201
    withdraw = {"on": "2023-08-01", "reason": "thay thế"}
    assert c.post(f"/api/procedures/{pid}/withdraw", json=withdraw, headers=headers).status_code == 201
    restore = {"on": "2023-08-02", "reason": "khôi phục"}
    assert c.post(f"/api/procedures/{pid}/restore", json=restore, headers=headers).status_code == 201
    written = sorted((e.id or 0, e.kind) for _v, e in reg.get(f"#{pid}").events if e.origin == "user")
    assert [k for _i, k in written] == ["reviewed", "reviewed", "cancelled", "withdrawn", "restored"]
    assert reg.check().sound


def test_an_upload_of_another_file_of_a_registered_decision_is_recognised(tmp_path: Path) -> None:
    """QĐ 45 as .docx, then as .pdf: the second is "đã có", one document with two renderings."""
    reg = procreg.Registry(tmp_path / "home")
    c = TestClient(create_app(reg), base_url="http://127.0.0.1")
    token = csrf_of(c.get("/upload").text)
    docx, pdf = copy_samples(
        tmp_path / "in",
        (
            "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
            "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.pdf",
        ),
    )
    first = c.post("/upload", data={"csrf": token}, files=[("files", (docx.name, docx.read_bytes()))]).text
    assert "outcome-ingested" in first
    second = c.post("/upload", data={"csrf": token}, files=[("files", (pdf.name, pdf.read_bytes()))]).text
    assert "outcome-recognised" in second and "outcome-failed" not in second
    assert f"Đã có trong sổ đăng ký: 45/QĐ-SNgV (từ {docx.name})" in second
    assert len(reg.documents()) == 1 and len(reg.procedures()) == 2
    did = reg.documents()[0].id
    listing = c.get("/documents").text
    assert f'href="/documents/{did}/file">DOCX</a> · <a href="/documents/{did}/file/1">PDF</a>' in listing
    served = c.get(f"/documents/{did}/file/1")
    assert served.status_code == 200 and served.content == pdf.read_bytes()
    assert c.get(f"/documents/{did}/file/2").status_code == 404
    files = c.get("/api/documents").json()["documents"][0]["files"]
    assert [f["format"] for f in files] == ["docx", "pdf"]


def test_upload_several_files_with_a_result_each(tmp_path: Path) -> None:
    reg = procreg.Registry(tmp_path / "home")
    c = TestClient(create_app(reg), base_url="http://127.0.0.1")
    token = csrf_of(c.get("/upload").text)
    docx, pdf = copy_samples(
        tmp_path / "in",
        (
            "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
            "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf",
        ),
    )
    files = [
        ("files", (docx.name, docx.read_bytes(), "application/octet-stream")),
        ("files", (pdf.name, pdf.read_bytes(), "application/pdf")),
        ("files", ("gia-mao.pdf", b"MZ not a pdf", "application/pdf")),
        ("files", ("../../etc/x.exe", b"MZ", "application/octet-stream")),
    ]
    html = c.post("/upload", data={"csrf": token}, files=files).text
    assert html.count("outcome-ingested") == 2 and html.count("outcome-refused") == 2
    for code in ("QT.NV.01", "QT.NV.02", "QT.NV.03", "QT.NV.04"):
        assert code in html
    uploads = tmp_path / "home" / "uploads"
    stored = sorted(p.name for p in uploads.rglob("*") if p.is_file())
    assert stored == sorted([docx.name, pdf.name])  # under the registry, refused files not kept
    assert all(uploads in Path(d.path).parents for d in reg.documents())
    again = c.post("/upload", data={"csrf": token}, files=files[:1]).text
    assert "outcome-unchanged" in again


# --------------------------------------------------------------------------------------------------
# JSON API


def test_api_mirrors_the_cli_json(client: TestClient, registry: procreg.Registry) -> None:
    assert client.get("/api/procedures").json() == json.loads(json.dumps(list_json(registry.procedures())))
    view = registry.get("QT.NV.01")
    assert client.get(f"/api/procedures/{view.record.id}").json() == json.loads(json.dumps(show_json(view)))
    out = CliRunner().invoke(cli, ["--home", str(registry.home), "search", "hoi nghi", "--json"]).output
    assert client.get("/api/search", params={"q": "hoi nghi"}).json() == json.loads(out)
    audit = client.get("/api/audit", params={"period": "2023"}).json()
    assert {"coverage", "target", "by_unit", "items"} <= set(audit)
    assert client.get("/api/procedures/99999").json()["exit_code"] == 4
    assert client.get("/api/search").status_code == 400


def test_api_records_an_event_with_the_session_token(client: TestClient, registry: procreg.Registry) -> None:
    pid = registry.get("QT.NV.04").record.id
    token = client.get("/api/session").json()["csrf"]
    body = {"on": "2023-08-01", "where": "https://songoaivu.hatinh.gov.vn"}
    r = client.post(f"/api/procedures/{pid}/publicize", json=body, headers={"X-CSRF-Token": token})
    assert r.status_code == 201 and r.json()["events"][-1]["where"] == body["where"]
    refused = client.post(f"/api/procedures/{pid}/publicize", json=body)
    assert refused.status_code == 403


def test_openapi_describes_every_api_route(client: TestClient) -> None:
    doc = client.get("/api/openapi.json").json()
    assert doc["openapi"].startswith("3.")
    from procreg.web.api import routes

    for route in routes():
        path = route.path.replace("{pid:int}", "{pid}").replace("{action:str}", "{action}")
        if path != "/api/openapi.json":
            assert path in doc["paths"], path


# --------------------------------------------------------------------------------------------------
# Safety


def _pages(registry: procreg.Registry) -> list[str]:
    pid = _payload_id(registry)
    return [
        "/",
        "/search?q=tham+dinh+ho+so",
        "/search?q=script&partial=1",
        f"/procedures/{pid}",
        f"/procedures/{pid}/record",
        "/catalog",
        "/catalog?field=" + (registry.get(f"#{pid}").record.field or ""),
        "/catalog?unit=Lãnh đạo Sở",
        "/documents",
        "/upload",
        "/audit",
        f"/procedures/{pid}/diagram.svg",
        "/api/procedures",
        f"/api/procedures/{pid}",
    ]


def test_payload_document_is_escaped_on_every_page(client: TestClient, registry: procreg.Registry) -> None:
    pid = _payload_id(registry)
    token = csrf_of(client.get(f"/procedures/{pid}/record").text)
    client.post(f"/procedures/{pid}/record/review", data={"csrf": token, "on": "01/08/2023", "note": IMG})
    shown = 0
    for url in _pages(registry):
        r = client.get(url)
        assert r.status_code == 200, url
        for payload in PAYLOADS:
            assert payload not in r.text, f"{url} shows {payload} unescaped"
        shown += "&lt;script&gt;" in r.text or "\\u003cscript" in r.text or "<script>alert" in r.text
    assert shown >= 8  # the payload is on the pages, as text
    assert "<script" not in client.get(f"/procedures/{pid}").text.replace(
        '<script src="/static/app.js" defer></script>', ""
    )


def test_security_headers_on_every_response(client: TestClient) -> None:
    for url in ("/", "/static/app.js", "/nope", "/api/openapi.json"):
        headers = client.get(url).headers
        csp = headers["content-security-policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
        assert headers["x-content-type-options"] == "nosniff"


def test_form_without_or_with_a_wrong_csrf_token_is_refused(
    client: TestClient, registry: procreg.Registry
) -> None:
    pid = registry.get("QT.NV.03").record.id
    before = len(registry.get(f"#{pid}").events)
    client.get(f"/procedures/{pid}/record")
    for data in ({"on": "01/09/2023"}, {"on": "01/09/2023", "csrf": "x" * 43}):
        r = client.post(f"/procedures/{pid}/record/review", data=data)
        assert r.status_code == 403
    other = TestClient(create_app(registry), base_url="http://127.0.0.1")  # another session's token
    stolen = csrf_of(other.get("/upload").text)
    assert (
        client.post(f"/procedures/{pid}/record/review", data={"on": "01/09/2023", "csrf": stolen}).status_code
        == 403
    )
    assert (
        client.post(
            "/upload", data={"csrf": "wrong"}, files=[("files", ("a.txt", b"x", "text/plain"))]
        ).status_code
        == 403
    )
    assert len(registry.get(f"#{pid}").events) == before


@pytest.mark.parametrize(
    "url",
    [
        "/documents/../../../../etc/passwd",
        "/documents/%2e%2e/%2e%2e/etc/passwd",
        "/documents/1/..%2f..%2f..%2fetc%2fpasswd",
        "/documents/-1/file",
        "/documents/999999/file",
        "/documents/1%2f..%2f..%2fregistry.db/file",
        "/static/..%2fcli.py",
        "/static/../../cli.py",
        "/static/%2e%2e/registry.db",
        "/procedures/1/diagram.svg%2f..%2f..",
    ],
)
def test_path_traversal_on_downloads_is_404(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert b"root:" not in r.content and b"SQLite" not in r.content


def test_upload_over_the_limit_is_refused(registry: procreg.Registry) -> None:
    c = TestClient(create_app(registry, max_upload=64 * 1024), base_url="http://127.0.0.1")
    token = csrf_of(c.get("/upload").text)
    big = b"a" * (100 * 1024)
    r = c.post("/upload", data={"csrf": token}, files=[("files", ("lon.txt", big, "text/plain"))])
    assert r.status_code == 413
    assert not any(p.name == "lon.txt" for p in registry.home.rglob("lon.txt"))


# --------------------------------------------------------------------------------------------------
# Accounts


@pytest.fixture
def with_accounts(tmp_path: Path) -> procreg.Registry:
    reg = procreg.Registry(tmp_path / "home")
    reg.ingest(
        copy_samples(tmp_path / "docs", ("qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",))
    )
    reg.add_user("xem", role="viewer", password="mat-khau-xem")
    reg.add_user("ghi", role="editor", password="mat-khau-ghi")
    return reg


def _login(c: TestClient, name: str, password: str) -> Any:
    token = csrf_of(c.get("/login").text)
    return c.post(
        "/login",
        data={"csrf": token, "name": name, "password": password, "next": "/"},
        follow_redirects=False,
    )


def test_accounts_sign_in_and_viewer_write_is_403(with_accounts: procreg.Registry) -> None:
    c = TestClient(create_app(with_accounts), base_url="http://127.0.0.1")
    assert c.get("/", follow_redirects=False).headers["location"].startswith("/login")
    assert c.get("/api/procedures").status_code == 401
    assert _login(c, "xem", "sai-mat-khau").status_code == 401
    assert _login(c, "xem", "mat-khau-xem").status_code == 303
    pid = with_accounts.get("QT.NV.01").record.id
    token = csrf_of(c.get(f"/procedures/{pid}/record").text)
    r = c.post(f"/procedures/{pid}/record/review", data={"csrf": token, "on": "02/08/2023"})
    assert r.status_code == 403 and "chỉ được xem" in r.text
    api = c.post(f"/api/procedures/{pid}/review", json={"on": "2023-08-02"}, headers={"X-CSRF-Token": token})
    assert api.status_code == 403
    up = c.post("/upload", data={"csrf": token}, files=[("files", ("a.txt", b"x", "text/plain"))])
    assert up.status_code == 403
    assert not [e for _v, e in with_accounts.get(f"#{pid}").events if e.kind == "reviewed"]


def test_editor_write_is_recorded_under_the_account(with_accounts: procreg.Registry) -> None:
    c = TestClient(create_app(with_accounts), base_url="http://127.0.0.1")
    _login(c, "ghi", "mat-khau-ghi")
    pid = with_accounts.get("QT.NV.02").record.id
    token = csrf_of(c.get(f"/procedures/{pid}/record").text)
    r = c.post(
        f"/procedures/{pid}/record/publish",
        data={"csrf": token, "decision": "45/QĐ-SNgV", "on": "16/03/2023"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert with_accounts.get(f"#{pid}").events[-1][1].by == "ghi"
    logout = c.post("/logout", data={"csrf": csrf_of(c.get("/").text)}, follow_redirects=False)
    assert logout.status_code == 303 and c.get("/", follow_redirects=False).status_code == 303


def test_sign_in_goes_back_only_to_this_site(with_accounts: procreg.Registry) -> None:
    c = TestClient(create_app(with_accounts), base_url="http://127.0.0.1")
    token = csrf_of(c.get("/login").text)
    form = {"csrf": token, "name": "xem", "password": "mat-khau-xem", "next": "//evil.example/"}
    assert c.post("/login", data=form, follow_redirects=False).headers["location"] == "/"


def test_user_commands(tmp_path: Path) -> None:
    home = str(tmp_path / "home")

    def run(*args: str, stdin: str | None = None) -> Any:
        return CliRunner().invoke(cli, ["--home", home, *args], input=stdin)

    # Only init and ingest create a registry: an account needs one.
    missing = run("user", "add", "lan", "--role", "editor", "--password-stdin", stdin="mot-mat-khau\n")
    assert missing.exit_code == 4 and "procreg init" in missing.output
    assert not (tmp_path / "home").exists()
    assert run("init").exit_code == 0

    assert (
        run("user", "add", "lan", "--role", "editor", "--password-stdin", stdin="mot-mat-khau\n").exit_code
        == 0
    )
    assert json.loads(run("user", "list", "--json").output) == {"users": [{"name": "lan", "role": "editor"}]}
    prompted = run("user", "add", "mai", stdin="mat-khau-mai\nmat-khau-mai\n")
    assert prompted.exit_code == 0 and "mat-khau-mai" not in prompted.output
    stored = (tmp_path / "home" / "registry.db").read_bytes()
    assert b"mot-mat-khau" not in stored and b"scrypt$" in stored
    assert procreg.Registry(home).authenticate("lan", "mot-mat-khau") == procreg.Registry(home).users()[0]
    assert procreg.Registry(home).authenticate("lan", "sai") is None
    assert procreg.Registry(home).authenticate("khong-co", "mot-mat-khau") is None
    assert run("user", "add", "x", "--password-stdin", stdin="ngan\n").exit_code == 2
    assert run("user", "remove", "lan").exit_code == 0
    assert run("user", "remove", "lan").exit_code == 4


def test_serve_refuses_another_address_without_accounts(tmp_path: Path) -> None:
    home = str(tmp_path / "home")
    assert CliRunner().invoke(cli, ["--home", home, "init"]).exit_code == 0
    refused = CliRunner().invoke(cli, ["--home", home, "serve", "--host", "0.0.0.0"])
    assert refused.exit_code == 2 and "procreg user add" in refused.output


def test_serve_without_a_registry_says_so_in_one_line_and_exits_4(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``procreg serve`` finds the registry as every command does, and never creates one."""
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    monkeypatch.delenv("PROCREG_HOME", raising=False)
    monkeypatch.chdir(tmp_path / "docs" / "sub")
    result = CliRunner().invoke(cli, ["serve"])
    assert result.exit_code == 4 and result.stderr.count("\n") == 1 and "procreg init" in result.stderr
    assert not (tmp_path / "docs" / "sub" / ".procreg").exists()


@pytest.mark.parametrize("version", [3, 4])
def test_a_schema_3_or_4_registry_gains_the_users_table(tmp_path: Path, version: int) -> None:
    """Accounts are schema 5, after issue 13's schema 4: a registry at 3 or 4 migrates on open, its
    events chained (from 3) and still sound, and takes accounts."""
    import sqlite3

    from procreg.registry.store import SCHEMA_VERSION, Store
    from procreg.registry.store.schema import MIGRATIONS, split_script

    db = tmp_path / "registry.db"
    if version == 3:  # as schema 3 left it, with one event (no chain yet)
        conn = sqlite3.connect(db, isolation_level=None)
        for script in MIGRATIONS[:3]:
            for statement in split_script(script):
                conn.execute(statement)
        conn.execute(
            "INSERT INTO documents (id, path, sha256, format, kind, number, issued_on, title) VALUES "
            "(1, '/tmp/a.txt', 'aa', 'txt', 'decision', '45/QĐ-SNgV', '2023-03-15', 'Công bố')"
        )
        conn.execute(
            "INSERT INTO procedures (id, key, version, name, name_folded, content_hash, document_id, "
            "position) VALUES (1, 'QT.NV.01', 1, 'Hội nghị', 'hoi nghi', 'h', 1, 1)"
        )
        conn.execute(
            "INSERT INTO events (procedure_id, kind, on_date, by) VALUES (1, 'reviewed', '2023-07-20', 'VP')"
        )
    else:  # as schema 4 (issue 13) left it: the latest tables but the accounts
        with Store.open(db):
            pass
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("DROP TABLE users")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.close()
    reg = procreg.Registry(tmp_path)
    assert reg.users() == []  # reading migrates, and finds no account
    assert reg.add_user("lan", role="admin", password="mot-mat-khau")
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 5
    conn.close()
    assert [a.name for a in reg.users()] == ["lan"]
    assert reg.check().sound


def test_upload_of_legacy_files_with_their_warnings(tmp_path: Path) -> None:
    import shutil

    from fixtures.legacy import build_rtf, build_tcvn3_docx
    from web_support import ISO_FIXTURE

    reg = procreg.Registry(tmp_path / "home")
    c = TestClient(create_app(reg), base_url="http://127.0.0.1")
    token = csrf_of(c.get("/upload").text)
    tcvn3 = build_tcvn3_docx(ISO_FIXTURE, tmp_path / "qt-tcvn3.docx")
    files = [
        ("files", (tcvn3.name, tcvn3.read_bytes(), "application/octet-stream")),
        ("files", ("cu.doc", b"{\\rtf1 not a Word 97 file}", "application/msword")),
    ]
    if shutil.which("soffice"):
        rtf = build_rtf(ISO_FIXTURE, tmp_path / "qt.rtf")
        files.append(("files", (rtf.name, rtf.read_bytes(), "application/rtf")))
    html = c.post("/upload", data={"csrf": token}, files=files).text
    # The .rtf is the same decision as the TCVN3 .docx: recognised ("đã có"), counted once.
    assert html.count("outcome-ingested") == 1 and html.count("outcome-refused") == 1
    assert html.count("outcome-recognised") == len(files) - 2 and ("Đã có trong sổ" in html) == (
        len(files) == 3
    )
    assert "không phải tài liệu Word 97-2003" in html
    assert "Cảnh báo:" in html and "TCVN3" in html  # the conversion is said, file by file
    assert "QT.NV.01" in html


def test_every_web_message_is_in_the_vietnamese_catalog() -> None:
    extract = pytest.importorskip("babel.messages.extract", reason="needs Babel: pip install -e '.[dev]'")
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parent.parent
    keywords = {**extract.DEFAULT_KEYWORDS, "N_": None, "ngettext": (1, 2)}
    found = extract.extract_from_dir(
        str(root / "web"),
        method_map=[("**.py", "python"), ("**/templates/**.html", "jinja2")],
        options_map={"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}},
        keywords=keywords,
    )
    ids = {m if isinstance(m, str) else m[0] for _f, _l, m, _c, _x in found}
    assert len(ids) > 150
    with (root / "locale" / "vi" / "LC_MESSAGES" / "procreg.po").open("rb") as f:
        catalog = read_po(f)
    translated = {
        (m.id if isinstance(m.id, str) else m.id[0]) for m in catalog if m.id and m.string and not m.fuzzy
    }
    assert sorted(ids - translated) == []


def test_a_session_ends_after_its_idle_timeout(
    with_accounts: procreg.Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time

    from procreg.web.security import SESSION_SECONDS

    c = TestClient(create_app(with_accounts), base_url="http://127.0.0.1")
    _login(c, "xem", "mat-khau-xem")
    assert c.get("/", follow_redirects=False).status_code == 200
    later = time.time() + SESSION_SECONDS + 60
    monkeypatch.setattr("itsdangerous.timed.time.time", lambda: later)
    assert c.get("/", follow_redirects=False).headers["location"].startswith("/login")


def test_ten_clients_recording_at_once_lose_no_event(registry: procreg.Registry, tmp_path: Path) -> None:
    import threading

    import httpx
    from web_support import Server

    ids = [p.id for p in registry.procedures()]
    barrier = threading.Barrier(10)
    answers: list[int] = []

    def client(n: int, base: str) -> None:
        with httpx.Client(base_url=base, timeout=60) as c:
            token = c.get("/api/session").json()["csrf"]
            barrier.wait()
            r = c.post(
                f"/api/procedures/{ids[n % len(ids)]}/review",
                json={"on": "2023-10-02", "note": f"đồng thời {n}"},
                headers={"X-CSRF-Token": token},
            )
            answers.append(r.status_code)

    with Server(registry.home) as server:
        threads = [threading.Thread(target=client, args=(n, server.url)) for n in range(10)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
    assert answers == [201] * 10
    notes = {e.note for p in ids for _v, e in registry.get(f"#{p}").events}
    assert {f"đồng thời {n}" for n in range(10)} <= notes
    assert registry.check_index().clean  # the index followed every event
