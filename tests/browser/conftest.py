"""Headless Chromium (Debian's chromium + chromedriver) for browser tests.

Skipped with a clear reason when the browser or selenium is missing, so a machine without them
still runs the rest of the suite; CI installs both (.ci/run)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("CHROMIUM_BINARY", "/usr/bin/chromium"))
CHROMEDRIVER = Path(os.environ.get("CHROMEDRIVER_BINARY", "/usr/bin/chromedriver"))
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
# Flags for a quiet, sandbox-free headless run as root in a container, with no calls home.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1280,900",
]


def _missing() -> str:
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing (apt-get install chromium chromium-driver)"
    if not CHROMEDRIVER.exists():
        return f"{CHROMEDRIVER} is missing (apt-get install chromium-driver)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -r requirements-dev.txt)"
    return ""


def pytest_collection_modifyitems(config, items):
    reason = _missing()
    if not reason:
        return
    skip = pytest.mark.skip(reason=f"browser tests need Chromium: {reason}")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


# Module scope: Chromium quits (closing its keep-alive connections to the live server) while the
# live server still shares the test database's connection with its request threads. Kept open
# for the whole session, its lingering connections were closed later, from request threads
# that could no longer use that connection, and pytest warned about their exceptions.
@pytest.fixture(scope="module")
def browser():
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    driver.set_page_load_timeout(30)
    driver.implicitly_wait(0)
    yield driver
    driver.quit()


@pytest.fixture
def screenshot(browser):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def save(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        browser.save_screenshot(str(path))
        return path

    return save
