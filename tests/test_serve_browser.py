"""briefgen serve in a real headless Chromium (Debian's chromium + chromium-driver, driven
by Selenium): the page renders, a citation jumps to its source, the page reloads by
itself after an article changes, axe-core finds no serious or critical violation, and
the layout fits phone (390 px) and desktop (1280 px) widths.

Skipped only where no browser is installed; in CI (``CI`` set) a missing browser fails.
Screenshots are saved to ``$BRIEFGEN_SCREENSHOTS`` (default: the system temp folder,
``briefgen-serve-screens/``) and the axe results to ``axe-results.json`` beside them.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from helpers import edition_of, wait_for
from test_serve import DISPUTED, Served, serving, status

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
SCREENS = Path(os.environ.get("BRIEFGEN_SCREENSHOTS", Path(tempfile.gettempdir()) / "briefgen-serve-screens"))  # fmt: skip
WIDTHS = (390, 1280)


def _missing() -> str | None:
    try:
        import axe_selenium_python  # noqa: F401
        import selenium  # noqa: F401
    except ImportError as exc:
        return f"{exc.name} is not installed (pip install -e '.[dev]')"
    for path in (CHROMIUM, CHROMEDRIVER):
        if not os.access(path, os.X_OK):
            return f"{path} is missing (apt-get install chromium chromium-driver)"
    return None


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    missing = _missing()
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests cannot run in CI: {missing}")
        pytest.skip(missing)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--hide-scrollbars",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"):  # fmt: skip
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    browser.set_page_load_timeout(30)
    browser.set_script_timeout(60)
    try:
        yield browser
    finally:
        browser.quit()


@pytest.fixture
def site(tmp_path: Path, driver: Any) -> Iterator[Served]:
    with serving(tmp_path) as running:
        yield running


def _open(driver: Any, url: str, width: int = 1280, height: int = 900) -> None:
    driver.set_window_size(width, height)
    driver.get(url)
    assert wait_for(lambda: driver.execute_script("return document.readyState") == "complete", 15)


def test_page_renders_and_a_citation_jumps_to_its_source(driver, site):
    """The brief renders in Chromium; clicking a citation [N] brings source N into view."""
    from selenium.webdriver.common.by import By

    _open(driver, site.url, 1280, 700)
    assert "Harbour ferry timetable" in driver.title
    assert driver.find_element(By.TAG_NAME, "h1").text == "Harbour ferry timetable"
    assert driver.find_element(By.CSS_SELECTOR, ".bg-bar").is_displayed()
    data = json.loads((site.out / "brief.json").read_text(encoding="utf-8"))
    titles = {s["n"]: s["title"] for s in data["sources"]}
    cites = driver.find_elements(By.CSS_SELECTOR, "a.cite")
    assert cites, "the brief has citations"
    # The last citation on the page: the source list must scroll to reach it.
    cite = cites[-1]
    n = int(cite.text.strip("[]"))
    driver.execute_script("window.scrollTo(0, 0)")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", cite)
    cite.click()
    assert wait_for(lambda: driver.execute_script("return location.hash") == f"#src-{n}", 5)
    target = driver.find_element(By.ID, f"src-{n}")
    top = driver.execute_script("return arguments[0].getBoundingClientRect().top", target)
    height = driver.execute_script("return window.innerHeight")
    assert 0 <= top < height, "the cited source is in view"
    assert titles[n] in target.text
    assert f"[{n}]" in target.text


def test_page_reloads_by_itself_within_two_seconds_of_a_rebuild(driver, site):
    """An article added while the page is open: edition 2 is published and the open page
    shows it within two seconds, with no action in the browser; so does a theme renamed
    in briefgen.toml."""
    from selenium.webdriver.common.by import By

    _open(driver, site.url)
    driver.execute_script("window.__stillTheSamePage = true")
    (site.src / "a4.txt").write_text(DISPUTED, encoding="utf-8")
    published = reloaded = None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and reloaded is None:
        if published is None and edition_of(site.out) == 2:
            published = time.monotonic()
        try:
            same = driver.execute_script("return window.__stillTheSamePage === true")
        except Exception:  # the page is being replaced this instant
            same = True
        if not same and published is not None:
            reloaded = time.monotonic()
        time.sleep(0.05)
    assert published is not None, "edition 2 published"
    assert reloaded is not None, "the page reloaded"
    print(f"reload {reloaded - published:.2f} s after edition 2 was published")
    assert reloaded - published < 2.0, f"reloaded {reloaded - published:.2f} s after publishing"
    assert wait_for(lambda: "four evening ferry crossings" in driver.page_source, 5)
    # A newcomer's first edit: a theme's title in briefgen.toml.
    config = site.src / "briefgen.toml"
    config.write_text(config.read_text().replace('"Cost"', '"Cost and fares"'), encoding="utf-8")
    assert wait_for(lambda: "Cost and fares" in driver.page_source, 30), "the new title shows"
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "section.theme h2")]
    assert "COST AND FARES" in [h.upper() for h in headings]


def _axe(driver: Any) -> dict[str, Any]:
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    return axe.run()


def test_axe_finds_no_serious_or_critical_violation(driver, site):
    """axe-core on the brief, the editions list and a changes page."""
    (site.src / "a4.txt").write_text(DISPUTED, encoding="utf-8")
    assert wait_for(lambda: edition_of(site.out) == 2, 30)
    found: dict[str, Any] = {}
    pages = ["/", "/editions/", "/editions/2/changes", "/editions/2/", "/ (build error banner)"]
    for path in pages:
        if path.endswith("banner)"):
            (site.src / "briefgen.toml").write_text("[brief\n", encoding="utf-8")
            assert wait_for(lambda: status(site.url)["error"] is not None, 30)
        _open(driver, site.url.rstrip("/") + path.split(" ")[0])
        results = _axe(driver)
        found[path] = {
            "axe": driver.execute_script("return axe.version"),
            "passes": len(results["passes"]),
            "violations": [
                {"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"]), "help": v["help"]}
                for v in results["violations"]
            ],  # fmt: skip
        }
    SCREENS.mkdir(parents=True, exist_ok=True)
    (SCREENS / "axe-results.json").write_text(json.dumps(found, indent=2), encoding="utf-8")
    bad = {
        path: [v for v in page["violations"] if v["impact"] in ("serious", "critical")]
        for path, page in found.items()
    }
    assert not any(bad.values()), bad
    assert all(page["passes"] > 5 for page in found.values()), "axe really ran"
    assert "bg-banner" in driver.page_source, "the last page checked shows the banner"


@pytest.mark.parametrize("width", WIDTHS)
def test_layout_fits_phone_and_desktop_widths(driver, site, width):
    """Full-page screenshots at 390 and 1280 px: nothing wider than the window, no text
    running out of its box."""
    (site.src / "a4.txt").write_text(DISPUTED, encoding="utf-8")
    assert wait_for(lambda: edition_of(site.out) == 2, 30)
    SCREENS.mkdir(parents=True, exist_ok=True)
    pages = (("brief", "/"), ("editions", "/editions/"), ("changes", "/editions/2/changes"),
             ("edition", "/editions/2/"), ("banner", "/"))  # fmt: skip
    for name, path in pages:
        if name == "banner":  # a long one-line error must wrap, not widen the page
            (site.src / "briefgen.toml").write_text("[brief\n" + "x" * 300, encoding="utf-8")
            assert wait_for(lambda: status(site.url)["error"] is not None, 30)
        _open(driver, site.url.rstrip("/") + path, width, 900)
        inner = driver.execute_script("return window.innerWidth")
        scroll = driver.execute_script("return document.documentElement.scrollWidth")
        assert scroll <= inner, f"{path} at {width} px is {scroll} px wide"
        wide = driver.execute_script(
            "return [...document.querySelectorAll('body *')]"
            ".filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)"
            ".map(e => e.tagName + '.' + e.className).slice(0, 5)"
        )
        assert not wide, f"{path} at {width} px: {wide} run past the right edge"
        full, chrome = driver.execute_script(
            "return [document.documentElement.scrollHeight, outerHeight - innerHeight]"
        )
        driver.set_window_size(width, min(max(full, 600), 8000) + chrome)
        driver.save_screenshot(str(SCREENS / f"{name}-{width}.png"))
