"""The clerk's journey in a real browser: Debian's Chromium driven by Playwright, against a live server.

Log in from the keyboard; upload a GB18030 voter CSV, see the bad ID number, fix it, preview, download the PDF;
then a ballot: download its Excel template, list the candidates (one row each, the post on its first row), see
the margin error, fix it and preview the proof.

Screenshots of every step go to test-artifacts/web/. Chromium comes from the system (scripts/setup installs
it), never from ``playwright install``; without it this test fails rather than skips.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pdfplumber
import pytest
from openpyxl import load_workbook
from playwright.sync_api import Page, sync_playwright
from werkzeug.serving import make_server

from service import accounts, create_app
from service.render.pool import RenderPool

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--lang=zh-CN", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parents[1] / "test-artifacts" / "web"
GOOD_ID = "330122195808207825"
BAD_ID = "330122195808207826"
ZHAO = ("赵文", "330122195212137619", "第二村民小组")


@pytest.fixture
def server(tmp_path: Path, render_pool: RenderPool) -> Iterator[str]:
    """The app served on a free port of 127.0.0.1 in a thread, with one admin account."""
    app = create_app({"TESTING": True, "INSTANCE_DIR": str(tmp_path / "instance")})
    app.extensions["render_pool"] = render_pool
    accounts.create(app.extensions["db"], "zhang", "secret-pass-1", "admin")
    srv = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_port}"
    srv.shutdown()
    thread.join(10)


def voters_csv(*rows: tuple[str, str, str]) -> bytes:
    """A voter list as Chinese Windows Excel saves it: GB18030, CRLF."""
    lines = ["姓名,身份证号,村民小组", *(",".join(r) for r in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("gb18030")


def shot(page: Page, name: str) -> None:
    """Keep a full-page screenshot of this step."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def fill_form(page: Page) -> None:
    """The fields a voter CSV does not carry."""
    page.get_by_label("村（社区）名称").fill("柳溪村")
    page.get_by_label("第N届村民委员会选举").fill("12")
    page.get_by_label("签署机构").fill("柳溪村村民选举委员会")
    page.get_by_label("成文日期").fill("2026-11-21")


def focused(page: Page) -> str:
    """The id, or else the text, of the element that has the keyboard focus."""
    return str(page.evaluate("document.activeElement.id || document.activeElement.textContent.trim()"))


def log_in_by_keyboard(page: Page, server: str) -> None:
    """Tab through the login form once: the name has the focus, then the password, then the button."""
    assert focused(page) == "username"
    page.keyboard.type("zhang")
    page.keyboard.press("Tab")
    assert focused(page) == "password"
    page.keyboard.type("secret-pass-1")
    page.keyboard.press("Tab")
    assert focused(page) == "登录"
    shot(page, "01-login")
    page.keyboard.press("Enter")
    page.wait_for_url(server + "/")


def ballot_xlsx(template: bytes, *rows: tuple[str, str, str]) -> bytes:
    """The ballot template with its example rows replaced by the candidates; 其他信息 keeps the example's fields."""
    book = load_workbook(io.BytesIO(template))
    sheet = book["名单"]
    sheet.delete_rows(2, sheet.max_row)
    for row in rows:
        sheet.append(list(row))
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def upload_and_check(page: Page, name: str, data: bytes | Callable[[], bytes]) -> None:
    """Choose a file and press the button."""
    page.get_by_label("文件（XLSX、CSV 或 JSON）").set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data() if callable(data) else data}]
    )
    page.get_by_role("button", name="检查并预览").first.click()


def ballot_journey(page: Page, server: str) -> None:
    """A grouped table: candidates one per row under their post, from the kind's own Excel template."""
    page.goto(server + "/")
    page.get_by_role("link", name="村民委员会选举票").click()
    page.wait_for_url("**/kinds/ballot.villagers-committee")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 Excel 模板").click()
    template = Path(info.value.path()).read_bytes()
    shot(page, "06-ballot-kind")
    one_deputy = [("主任", "1", "周德明"), ("", "", "林国栋"), ("副主任", "1", "欧阳春华"),
                  ("委员", "3", "马国庆"), ("", "", "张建"), ("", "", "李红梅"), ("", "", "刘志强")]
    upload_and_check(page, "候选人.xlsx", ballot_xlsx(template, *one_deputy))
    alert = page.get_by_role("alert")
    alert.wait_for()
    cells = alert.locator("tbody td").all_inner_texts()
    assert cells[:2] == ["4", "职务"] and "副主任应选1名，候选人1名" in cells[2]
    shot(page, "07-ballot-margin")
    fixed = [*one_deputy[:3], ("", "", "王秀英"), *one_deputy[3:]]
    upload_and_check(page, "候选人.xlsx", ballot_xlsx(template, *fixed))
    page.wait_for_url("**/jobs/*")
    page.get_by_role("img", name="第1页").wait_for()
    shot(page, "08-ballot-preview")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载 PDF").click()
    with pdfplumber.open(info.value.path()) as pdf:
        text = (pdf.pages[0].extract_text() or "").replace(" ", "")
    assert "村民委员会选举票" in text and "王秀英" in text and "样票" in text


def test_clerk_journey(server: str) -> None:
    assert Path(CHROMIUM).exists(), "Debian's chromium is needed (scripts/setup installs it)"
    with sync_playwright() as pw:
        # Chromium's own words (the file button) in Chinese, as on a clerk's machine (needs chromium-l10n);
        # LANG stays a locale the system has, or Chromium cannot name downloaded files ("download")
        chinese = {**os.environ, "LANG": "C.UTF-8", "LANGUAGE": "zh_CN:zh"}
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, env=chinese)
        try:
            page = browser.new_page(locale="zh-CN", viewport={"width": 1100, "height": 900}, accept_downloads=True)
            page.set_default_timeout(180_000)  # a preview renders a PDF; the CI machine may be busy
            page.goto(server + "/")
            assert page.url.startswith(server + "/login")
            log_in_by_keyboard(page, server)
            assert page.get_by_role("heading", name="花名册").is_visible()
            shot(page, "02-home")

            page.get_by_role("link", name="选民登记花名册").click()
            page.wait_for_url("**/kinds/roster.voters")
            fill_form(page)
            page.get_by_label("文件（XLSX、CSV 或 JSON）").set_input_files(
                files=[{"name": "选民.csv", "mimeType": "text/csv",
                        "buffer": voters_csv(("刘䶮", BAD_ID, "第一村民小组"), ZHAO)}]
            )
            shot(page, "03-upload")
            page.get_by_role("button", name="检查并预览").first.click()
            alert = page.get_by_role("alert")
            alert.wait_for()
            cells = alert.locator("tbody td").all_inner_texts()
            assert cells == ["2", "身份证号", "公民身份号码校验码不正确"]
            shot(page, "04-bad-id")

            # the form keeps what was typed; only the file is chosen again
            assert page.get_by_label("村（社区）名称").input_value() == "柳溪村"
            page.get_by_label("文件（XLSX、CSV 或 JSON）").set_input_files(
                files=[{"name": "选民.csv", "mimeType": "text/csv",
                        "buffer": voters_csv(("刘䶮", GOOD_ID, "第一村民小组"), ZHAO)}]
            )
            page.get_by_role("button", name="检查并预览").first.click()
            page.wait_for_url("**/jobs/*")
            image = page.get_by_role("img", name="第1页")
            image.wait_for()
            assert page.evaluate("document.querySelector('.pages img').naturalWidth") > 100
            shot(page, "05-preview")

            with page.expect_download() as info:
                page.get_by_role("link", name="下载 PDF").click()
            download = info.value
            assert download.suggested_filename == "选民登记花名册-柳溪村.pdf"
            data = Path(download.path()).read_bytes()
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                text = "\n".join(p.extract_text() or "" for p in pdf.pages)
            assert "选民登记花名册" in text.replace(" ", "")
            assert "刘䶮" in text and "赵文" in text and GOOD_ID in text
            ballot_journey(page, server)
        finally:
            browser.close()
