"""The live preview in a real headless browser (Debian's chromium, driven by selenium): open the
page, save the file, and the new figure appears without anyone reloading the page.

Needs the Debian packages chromium and chromium-driver. Where they are missing the test is
skipped, except under CI (CI=true), where a missing browser is a failure: CI must install them."""

from __future__ import annotations

import shutil
import time

import pytest

from perfdsl.authoring.serve import Preview, PreviewServer
from tests.conftest import IN_CI

from .helpers import seed_text, with_actual

CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-extensions",
    "--window-size=1280,900",
)


def _browser_or_skip():
    problems = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        problems.append("the selenium package (pip install -e '.[test]')")
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if chromium is None:
        problems.append("chromium (apt-get install -y chromium)")
    if driver is None:
        problems.append("chromedriver (apt-get install -y chromium-driver)")
    if problems:
        message = "browser test needs " + ", ".join(problems)
        if IN_CI:
            pytest.fail(message + " — CI must install them", pytrace=False)
        pytest.skip(message)
    return chromium, driver


@pytest.fixture
def browser(tmp_path):
    chromium, driver_path = _browser_or_skip()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'profile'}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _body_text(driver) -> str:
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.common.by import By

    try:
        return driver.find_element(By.TAG_NAME, "body").text
    except WebDriverException:  # between two pages
        return ""


def test_saved_file_shows_in_the_open_page(tmp_path, browser):
    from selenium.webdriver.support.ui import WebDriverWait

    folder = tmp_path / "unit"
    folder.mkdir()
    (folder / "perfdsl.toml").write_text("", encoding="utf-8")
    f = folder / "hotline.perf"
    f.write_text(with_actual(seed_text(), "80"), encoding="utf-8")
    server = PreviewServer(Preview(str(f)), "127.0.0.1", 0).start()
    assert server.preview.watching.wait(10), "the file watcher did not start"
    try:
        browser.get(server.url)
        WebDriverWait(browser, 15).until(lambda d: "96.58" in _body_text(d) and "发送短信" in _body_text(d))
        # The script ran (the CSP let it): the status badge it adds is there, and connected.
        WebDriverWait(browser, 10).until(lambda d: "实时预览" in _body_text(d))
        browser.execute_script("window.__beforeSave = true;")

        saved_at = time.time()
        f.write_text(with_actual(seed_text(), "90"), encoding="utf-8")
        WebDriverWait(browser, 10, poll_frequency=0.05).until(lambda d: "96.69" in _body_text(d))
        # When the reloaded page had its DOM ready, by the browser's own clock (the same system clock).
        ready = browser.execute_script(
            "var n = performance.getEntriesByType('navigation')[0];"
            "return performance.timeOrigin + n.domContentLoadedEventEnd;"
        )
        print(f"\nsave → refreshed page in the browser: {ready - saved_at * 1000:.0f} ms")
        assert "96.58" not in _body_text(browser)
        # The page reloaded itself: the marker set before the save is gone.
        assert browser.execute_script("return window.__beforeSave === undefined;")

        # A bad save: the errors show on top, the last good figures stay.
        good = f.read_text(encoding="utf-8")
        f.write_text(good.replace("项目 ", "项目 项目 ", 1), encoding="utf-8")
        WebDriverWait(browser, 10).until(lambda d: "错误" in _body_text(d) and "最近一次没有错误时" in _body_text(d))
        assert "96.69" in _body_text(browser)

        problems = [
            e["message"]
            for e in browser.get_log("browser")
            if "Content Security Policy" in e["message"] or e["level"] == "SEVERE"
        ]
        assert not problems, problems
    finally:
        server.stop()
