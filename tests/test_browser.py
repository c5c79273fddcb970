"""The site in a real browser: headless Chromium (Debian's ``/usr/bin/chromium``) driven by
Playwright against the running server, as a person would use it.

Flows: search for 签发 and reach the page that says who signs documents sent to higher
governments with article 59's text visible; open the executive meeting and see its 列席 list;
switch language; paste an invalid record and see the finding with its article. Screenshots of
the main pages (zh and en, desktop and phone widths) go to ``test-artifacts/screenshots/``.
Skipped, with the reason, when Chromium or Playwright is not installed (``.ci/run`` installs
Chromium); Playwright never downloads a browser here.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SHOTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"
TIMEOUT_MS = 20_000
ART_59_1 = "报送上级政府的公文、市政府发布的命令（令）和重大决定"

if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)",
                allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=TIMEOUT_MS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    yield tab
    context.close()


def shot(tab, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    tab.screenshot(path=str(SHOTS / f"{name}.png"), full_page=False)


def test_search_for_signing_reaches_article_59(server, page):
    page.goto(server.url + "/")
    page.get_by_role("searchbox", name="搜索职位、机构、会议、公文、程序和条文").fill("签发")
    page.get_by_role("button", name="搜索").click()
    page.wait_for_url("**/search?q=*")
    shot(page, "search-zh")
    page.get_by_role("link", name="报送上级政府的公文", exact=True).first.click()
    page.wait_for_url("**/id/document-type/to-higher-government")
    assert page.get_by_role("heading", level=1).inner_text() == "报送上级政府的公文"
    assert page.locator("svg.chain").first.is_visible()
    text = page.get_by_text(ART_59_1).first
    assert text.is_visible()                      # article 59's text, not folded away
    assert "市长" in page.locator("svg.chain").first.text_content()
    shot(page, "document-to-higher-government-zh")


def test_executive_meeting_shows_who_sits_in(server, page):
    page.goto(server.url + "/id/meeting-type/executive")
    row = page.locator("#role-nonvoting")
    assert row.is_visible()
    assert row.locator("th").inner_text() == "列席"
    listed = row.inner_text()
    for name in ("市政府办公室副主任", "市发改局主要负责人", "市财政局主要负责人",
                 "市司法局主要负责人"):
        assert name in listed, name
    shot(page, "meeting-executive-zh")


def test_switch_language_and_back(server, page):
    page.goto(server.url + "/id/post/executive-vice-mayor")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/en/id/post/executive-vice-mayor")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("heading", name="Responsibilities").is_visible()
    shot(page, "post-executive-vice-mayor-en")
    page.get_by_role("link", name="中文").click()
    page.wait_for_url("**/id/post/executive-vice-mayor")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"


def test_pasted_invalid_record_shows_finding_with_article(server, page):
    from govkg.web.check import EXAMPLE

    page.goto(server.url + "/en/check")
    page.get_by_label("Records").fill(EXAMPLE)
    page.get_by_role("button", name="Check").click()
    page.wait_for_selector("#s-report")
    assert page.get_by_role("heading", name="Article 51").is_visible()
    assert page.get_by_text("The minutes were not signed by the mayor").is_visible()
    assert page.get_by_text("Article 51(1)").first.is_visible()
    shot(page, "check-en")


def test_three_clicks_from_home_to_the_answer(server, page):
    page.goto(server.url + "/en/")
    page.get_by_role("link", name="Who is responsible?").first.click()       # 1
    page.get_by_label("Action").select_option("chair")
    page.get_by_label("Object").select_option("/id/meeting-type/plenary")
    page.get_by_role("button", name="Ask").click()                            # 2
    answer = page.locator("#s-answer").locator("xpath=..")
    assert "mayor" in answer.inner_text()
    assert answer.get_by_text("Article 7(1)").first.is_visible()
    shot(page, "who-en")


@pytest.mark.parametrize(("path", "width"), [
    ("/", 1280), ("/en/", 1280), ("/", 390), ("/id/post/mayor", 390),
    ("/id/meeting-type/executive", 390), ("/eli/lzf/2022/11", 1280),
    ("/en/id/document-type/office-document", 1280), ("/id/procedure/major-decision", 1280),
])
def test_screenshots_of_the_main_pages(server, browser, path, width):
    context = browser.new_context(viewport={"width": width, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(TIMEOUT_MS)
    try:
        tab.goto(server.url + path)
        # usable on a phone: nothing wider than the screen but tables and diagrams, which scroll
        overflow = tab.evaluate("document.documentElement.scrollWidth")
        assert overflow <= width + 1, f"{path} is {overflow}px wide at {width}px"
        name = (path.strip("/").replace("/", "_") or "home") + f"-{width}"
        shot(tab, name)
    finally:
        context.close()
