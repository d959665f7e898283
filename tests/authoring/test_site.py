"""`perfdsl build DIR --to site -o OUT`: an offline portfolio page with each evaluation's report
linked from it — opened in a real headless Chromium: the table sorts and filters, links lead to
the reports, nothing is fetched from the internet."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from perfdsl.cli.main import main

from .test_browser import browser  # noqa: F401  (the fixture)

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _site(tmp_path: Path) -> Path:
    tree = tmp_path / "tree"
    # the project evaluations, each alone in a folder (a 部门整体 file needs the members it names)
    projects = [p for p in sorted(EXAMPLES.glob("*.perf")) if "部门整体 " not in p.read_text(encoding="utf-8")]
    for i, example in enumerate(projects):
        folder = tree / f"单位{i}"
        folder.mkdir(parents=True)
        shutil.copy(example, folder / "2023.perf")  # one name in every folder: pages must not collide
    (tree / "坏.perf").write_text('项目 "坏" {\n  年度 二〇二三\n', encoding="utf-8")
    (tree / "perfdsl.toml").write_text("", encoding="utf-8")
    out = tmp_path / "site"
    assert main(["build", str(tree), "--to", "site", "-o", str(out)]) == 0
    return out


def test_the_site_is_offline_and_links_every_report(tmp_path):
    out = _site(tmp_path)
    html = (out / "index.html").read_text(encoding="utf-8")
    assert not re.search(r"""(src|href)=["']https?://""", html)
    links = re.findall(r'<a href="([^"]+)">', html)
    assert len(links) == 4 and all((out / link).is_file() for link in links)
    assert "机关办公业务项目" in html and 'class="failed"' in html and "<svg" in html


def test_the_portfolio_table_sorts_and_filters_in_a_browser(tmp_path, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    out = _site(tmp_path)
    browser.get((out / "index.html").as_uri())
    rows = lambda: [r for r in browser.find_elements(By.CSS_SELECTOR, "#portfolio tbody tr") if r.is_displayed()]  # noqa: E731
    assert len(rows()) == 5
    browser.find_element(By.ID, "filter").send_keys("霍城县")
    assert len(rows()) == 1 and "机关办公业务项目" in rows()[0].text
    browser.find_element(By.ID, "filter").clear()
    browser.execute_script("document.getElementById('filter').dispatchEvent(new Event('input'))")
    header = browser.find_elements(By.CSS_SELECTOR, "#portfolio thead th")[6]  # 执行率
    header.click()
    rates = [r.find_elements(By.TAG_NAME, "td")[6].text for r in rows()]
    numbers = [float(x) for x in rates if x != "—"]
    assert numbers == sorted(numbers)
    rows()[[i for i, x in enumerate(rates) if x != "—"][0]].find_element(By.TAG_NAME, "a").click()
    assert "绩效" in browser.title or "绩效" in browser.find_element(By.TAG_NAME, "body").text


def test_serve_dir_shows_the_portfolio_live(tmp_path, browser):  # noqa: F811
    from selenium.webdriver.common.by import By

    from perfdsl.authoring.serve import Preview, PreviewServer

    for example in sorted(EXAMPLES.glob("*.perf")):
        shutil.copy(example, tmp_path / example.name)
    (tmp_path / "perfdsl.toml").write_text("", encoding="utf-8")
    server = PreviewServer(Preview(str(tmp_path)), "127.0.0.1", 0).start()
    try:
        browser.get(server.url)
        rows = browser.find_elements(By.CSS_SELECTOR, "#portfolio tbody tr")
        assert len(rows) == len(list(EXAMPLES.glob("*.perf")))
        browser.find_element(By.ID, "filter").send_keys("霍城县")
        shown = [r for r in rows if r.is_displayed()]
        assert len(shown) == 1  # the page's own script runs under the server's policy
        shown[0].find_element(By.TAG_NAME, "a").click()
        assert "/view/xinfang-office-2023.perf" in browser.current_url
    finally:
        server.stop()
