"""The web page in a real Chromium (Debian's, driven by Playwright): what a person does, start to end.

Each test runs ``procreg serve`` on 127.0.0.1 in a subprocess and a fresh headless Chromium profile.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import requires_tool
from web_support import CHROMIUM_ARGS, Server, chromium_path, copy_samples, csrf_of

import procreg

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is missing: pip install -e '.[dev]'")
CHROMIUM = chromium_path()
pytestmark = [requires_tool("chromium", "apt-get install chromium"), pytest.mark.vietnamese]

DECISIONS = (
    "qd-45-sngv-2023_danhmuc-quytrinhnoibo_hoinghi-doanra.docx",
    "qd-52-sngv-2023_danhmuc-quytrinhnoibo_doanvao-abtc.pdf",
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p, tempfile.TemporaryDirectory(prefix="procreg-chromium-") as profile:
        context = p.chromium.launch_persistent_context(
            profile,
            executable_path=CHROMIUM,
            args=list(CHROMIUM_ARGS),
            headless=True,
            accept_downloads=True,
            locale="vi-VN",
            viewport={"width": 1280, "height": 900},
        )
        yield context
        context.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The samples ingested, no account: the page as the local user sees it."""
    base = tmp_path_factory.mktemp("browser")
    procreg.Registry(base / "home").ingest(copy_samples(base / "docs"))
    with Server(base / "home") as running:
        yield running


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    p = browser.new_page()
    errors: list[str] = []
    p.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    yield p
    p.close()
    assert not [e for e in errors if "Content Security Policy" in e], errors


def test_typing_without_accents_finds_the_procedure_first(page: Any, server: Server) -> None:
    page.goto(server.url + "/search")
    page.locator("input[name=q]").press_sequentially("hoi nghi quoc te", delay=40)  # no Enter: live results
    first = page.locator("li.hit").first
    sync_api.expect(first).to_contain_text("QT.NV.01", timeout=10_000)
    sync_api.expect(first).to_contain_text("hội nghị, hội thảo quốc tế")
    assert page.url.endswith("q=hoi+nghi+quoc+te&kind=&status=&unit=&field=")  # the address follows
    first.locator("a").first.click()
    page.wait_for_url("**/procedures/*")
    diagram = page.locator("#diagram svg")
    sync_api.expect(diagram).to_be_visible()
    assert diagram.locator("text=Phòng Hợp tác quốc tế").count() >= 1  # a lane of the swimlane
    box = diagram.bounding_box()
    assert box is not None and box["width"] > 600 and box["height"] > 200


def test_search_works_without_javascript(browser: Any, server: Server) -> None:
    page = browser.new_page()
    page.route("**/static/app.js", lambda route: route.abort())  # the page as it works without its script
    page.goto(server.url + "/search")
    page.fill("input[name=q]", "doan vao")
    page.press("input[name=q]", "Enter")
    sync_api.expect(page.locator("li.hit").first).to_contain_text("QT.NV.03")
    page.close()


def test_recording_a_review_shows_it_in_the_history(page: Any, server: Server) -> None:
    pid = procreg.Registry(server.home).get("QT.NV.04").record.id
    page.goto(f"{server.url}/procedures/{pid}")
    page.click("text=Ghi nhận sự kiện")
    form = page.locator("#form-review")
    form.locator("input[name=on]").fill("21/07/2023")
    form.locator("input[name=note]").fill("Rà soát định kỳ 6 tháng")
    form.locator("button").click()
    page.wait_for_url(f"**/procedures/{pid}#history")
    sync_api.expect(page.locator(".flash")).to_contain_text("Đã ghi nhận: rà soát ngày 21/07/2023")
    row = page.locator("table.history tr.event-reviewed").last
    sync_api.expect(row).to_contain_text("21/07/2023")
    sync_api.expect(row).to_contain_text("Rà soát định kỳ 6 tháng")


def test_downloading_the_audit_docx_opens_in_python_docx(page: Any, server: Server, tmp_path: Path) -> None:
    import docx

    page.goto(server.url + "/audit?period=2023")
    with page.expect_download() as info:
        page.click("text=Word (DOCX)")
    saved = tmp_path / info.value.suggested_filename
    info.value.save_as(saved)
    assert saved.suffix == ".docx"
    document = docx.Document(str(saved))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "BÁO CÁO" in [p.text.strip() for p in document.paragraphs]
    assert "Kết quả rà soát, công bố, công khai thủ tục hành chính nội bộ năm 2023" in text
    cells = {c.text for t in document.tables for row in t.rows for c in row.cells}
    assert "QT.NV.01" in " ".join(cells) or "QT.NV.01" in text


def test_uploading_a_docx_and_a_pdf_shows_their_procedures(page: Any, tmp_path: Path) -> None:
    docx_file, pdf_file = copy_samples(tmp_path / "in", DECISIONS)
    assert procreg.Registry(tmp_path / "home").init()  # an empty registry: serve never creates one
    with Server(tmp_path / "home") as empty:
        page.goto(empty.url + "/upload")
        page.set_input_files("input[name=files]", [str(docx_file), str(pdf_file)])
        page.click("text=Tải lên và đăng ký")
        results = page.locator("li.result")
        sync_api.expect(results).to_have_count(2, timeout=60_000)
        sync_api.expect(results.nth(0)).to_contain_text("đã đăng ký")
        sync_api.expect(results.nth(1)).to_contain_text("đã đăng ký")
        for code in ("QT.NV.01", "QT.NV.02"):
            sync_api.expect(results.nth(0).locator("ul.procs")).to_contain_text(code)
        for code in ("QT.NV.03", "QT.NV.04"):
            sync_api.expect(results.nth(1).locator("ul.procs")).to_contain_text(code)
        page.click("text=Danh mục")
        sync_api.expect(page.locator("body")).to_contain_text("Phòng Hợp tác quốc tế")


def test_a_viewer_is_refused_a_write(page: Any, tmp_path: Path) -> None:
    reg = procreg.Registry(tmp_path / "home")
    reg.ingest(copy_samples(tmp_path / "docs", DECISIONS[:1]))
    reg.add_user("chuyenvien", role="viewer", password="chi-duoc-xem")
    pid = reg.get("QT.NV.01").record.id
    with Server(tmp_path / "home") as guarded:
        page.goto(f"{guarded.url}/procedures/{pid}/record")
        page.wait_for_url(lambda url: "/login?next=" in url)
        page.fill("input[name=name]", "chuyenvien")
        page.fill("input[name=password]", "chi-duoc-xem")
        page.click("button:has-text('Đăng nhập')")
        page.wait_for_url(f"**/procedures/{pid}/record")
        sync_api.expect(page.locator(".note")).to_contain_text("chỉ được xem")
        form = page.locator("#form-review")
        form.locator("input[name=on]").fill("22/07/2023")
        with page.expect_response(lambda r: r.url.endswith("/record/review")) as answer:
            form.locator("button").click()
        assert answer.value.status == 403
        sync_api.expect(page.locator("h1")).to_contain_text("Không được phép")
        assert not [e for _v, e in reg.get(f"#{pid}").events if e.kind == "reviewed"]
        assert csrf_of(page.content())  # still signed in: the page carries its token
