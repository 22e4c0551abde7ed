"""The morning routine in a real browser: timeline, filter, event, company, search; plus axe."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.web import factories

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Impacts axe reports that block a release; "moderate"/"minor" are reviewed by hand.
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture
def site(live_server, transactional_db):
    store = factories.populate(n_events=30)
    return live_server.url, store


AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"


def axe_source() -> str:
    return AXE.read_text(encoding="utf-8")


def axe_violations(browser) -> list[dict]:
    browser.execute_script(axe_source())
    result = browser.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations), e => done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]));"
    )
    return [v for v in result if v.get("impact") in BLOCKING_IMPACTS]


def assert_accessible(browser) -> None:
    violations = axe_violations(browser)
    assert not violations, [
        (v["id"], v["help"], [n.get("target") for n in v["nodes"][:3]]) for v in violations
    ]


# A click starts a navigation; reading the page before the new one arrives races it.
NAVIGATION_TIMEOUT_SECONDS = 15


def wait_for_page(browser, *, url_part: str = "", heading: str = "") -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def arrived(driver) -> bool:
        if url_part not in driver.current_url:
            return False
        if driver.execute_script("return document.readyState") != "complete":
            return False
        return not heading or driver.find_element(By.TAG_NAME, "h1").text == heading

    WebDriverWait(browser, NAVIGATION_TIMEOUT_SECONDS).until(arrived)


def test_timeline_filter_event_company_search(browser, site, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    url, _ = site
    browser.set_window_size(1280, 900)
    browser.get(url + "/")
    assert "AI policy timeline" in browser.find_element(By.TAG_NAME, "h1").text
    assert len(browser.find_elements(By.CSS_SELECTOR, ".timeline .event-row")) == 25
    screenshot("timeline")
    assert_accessible(browser)

    Select(browser.find_element(By.ID, "f-jurisdiction")).select_by_visible_text("China")
    Select(browser.find_element(By.ID, "f-topic")).select_by_visible_text("Export controls")
    browser.find_element(By.CSS_SELECTOR, ".filters button[type=submit]").click()
    wait_for_page(browser, url_part="jurisdiction=china")  # a shareable URL
    rows = browser.find_elements(By.CSS_SELECTOR, ".timeline .event-row")
    assert len(rows) == 15
    screenshot("timeline-filtered")

    rows[0].find_element(By.CSS_SELECTOR, "h3 a").click()
    wait_for_page(browser, url_part="/events/")
    details = browser.find_element(By.TAG_NAME, "details")
    assert not details.get_attribute("open")
    details.find_element(By.TAG_NAME, "summary").click()
    assert details.get_attribute("open")
    screenshot("event")
    assert_accessible(browser)

    browser.find_element(By.LINK_TEXT, "Nvidia").click()
    wait_for_page(browser, url_part="/companies/", heading="Nvidia")
    screenshot("company")
    assert_accessible(browser)

    box = browser.find_element(By.ID, "site-q")
    box.send_keys("Nvidia")
    box.submit()
    wait_for_page(browser, url_part="/search/")
    marks = browser.find_elements(By.TAG_NAME, "mark")
    assert marks and marks[0].text.lower() == "nvidia"
    screenshot("search")
    assert_accessible(browser)


def test_keyboard_and_phone_width(browser, site, screenshot):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    url, _ = site
    browser.set_window_size(390, 844)
    browser.get(url + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    focused = browser.switch_to.active_element
    assert focused.text == "Skip to content"
    focused.send_keys(Keys.ENTER)
    assert browser.switch_to.active_element.get_attribute("id") == "main"
    # Nothing overflows sideways at phone width.
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    screenshot("timeline-phone")
    assert_accessible(browser)
    browser.set_window_size(1280, 900)


def test_every_page_is_accessible_and_keeps_to_the_csp(browser, site):
    url, store = site
    ev = store.events[0]
    paths = [
        "/",
        f"/events/{ev.pk}/{ev.slug}/",
        "/companies/nvidia/",
        "/jurisdictions/china/",
        f"/sources/{store.sources[0].slug}/",
        f"/claims/{store.claims[0].pk}/",
        "/search/?q=chip",
        "/feeds/",
    ]
    browser.set_window_size(1280, 900)
    for path in paths:
        browser.get(url + path)
        errors = [e for e in browser.get_log("browser") if "Content Security Policy" in e.get("message", "")]
        assert not errors, (path, errors)
        assert_accessible(browser)


def test_the_browser_refuses_injected_inline_script(browser, site):
    """Proof that the policy is in force: an inline script slipped into the page does not run."""
    url, _ = site
    browser.get(url + "/feeds/")
    browser.get_log("browser")
    browser.execute_script(
        "const s = document.createElement('script'); s.textContent = 'window.injected = 1';"
        "document.body.appendChild(s);"
    )
    assert browser.execute_script("return window.injected") is None
    assert any("Content Security Policy" in e["message"] for e in browser.get_log("browser"))
