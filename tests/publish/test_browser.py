"""What a person sees, driven in headless Chromium against our server on loopback."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
DRIVER = "/usr/bin/chromedriver"


@pytest.fixture
def browser() -> Iterator[object]:
    if not (Path(CHROMIUM).exists() and Path(DRIVER).exists()):
        pytest.skip("chromium/chromedriver not installed (apt-get install chromium chromium-driver)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="orkg-sync-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
    ):
        opts.add_argument(arg)
    drv = webdriver.Chrome(service=Service(DRIVER), options=opts)
    drv.set_page_load_timeout(30)
    try:
        yield drv
    finally:
        drv.quit()
        shutil.rmtree(profile, ignore_errors=True)


def _column(drv: object, idx: int) -> list[str]:
    from selenium.webdriver.common.by import By

    rows = drv.find_elements(By.CSS_SELECTOR, "#models tbody tr")  # type: ignore[attr-defined]
    return [r.find_elements(By.TAG_NAME, "td")[idx].text for r in rows]


def test_landing_table_sorts(browser: object, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/")  # type: ignore[attr-defined]
    assert _column(browser, 0) == ["Llama 3.2", "Phi-2", "TinyLlama"]
    header = browser.find_elements(By.CSS_SELECTOR, "#models th")[2]  # type: ignore[attr-defined]
    header.click()
    assert _column(browser, 0) == ["TinyLlama", "Phi-2", "Llama 3.2"]  # max params ascending
    header.click()
    assert _column(browser, 0) == ["Llama 3.2", "Phi-2", "TinyLlama"]
    links = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "#downloads a")]  # type: ignore[attr-defined]
    assert "data.ttl" in links and "void.ttl" in links


def test_query_box_runs_example(browser: object, server: str) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    browser.get(server + "/")  # type: ignore[attr-defined]
    Select(browser.find_element(By.ID, "examples")).select_by_value("attention")  # type: ignore[attr-defined]
    browser.find_element(By.ID, "run").click()  # type: ignore[attr-defined]
    WebDriverWait(browser, 10).until(
        lambda d: d.find_element(By.ID, "status").text.endswith("rows")  # type: ignore[attr-defined]
    )
    cells = [
        [c.text for c in r.find_elements(By.TAG_NAME, "td")]
        for r in browser.find_elements(By.CSS_SELECTOR, "#results tr")  # type: ignore[attr-defined]
    ]
    rows = [c[1:] for c in cells if c]  # the first column is the concept IRI
    assert rows == [["Grouped-query attention", "2"], ["Multi-head attention", "1"]]


def test_model_page_shows_values(browser: object, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/")  # type: ignore[attr-defined]
    browser.find_element(By.LINK_TEXT, "Llama 3.2").click()  # type: ignore[attr-defined]
    assert browser.find_element(By.ID, "label").text == "Llama 3.2"  # type: ignore[attr-defined]
    values = browser.find_element(By.ID, "values").text  # type: ignore[attr-defined]
    assert "1000000000" in values and "3000000000" in values and "Grouped-query attention" in values
    browser.find_element(By.LINK_TEXT, "Grouped-query attention").click()  # type: ignore[attr-defined]
    assert browser.find_element(By.ID, "label").text == "Grouped-query attention"  # type: ignore[attr-defined]


def test_ontology_page_navigates(browser: object, server: str) -> None:
    from selenium.webdriver.common.by import By

    browser.get(server + "/ontology")  # type: ignore[attr-defined]
    terms = browser.find_elements(By.CSS_SELECTOR, "section.term")  # type: ignore[attr-defined]
    iris = [t.get_attribute("data-iri") for t in terms]
    assert "https://w3id.org/orkg-sync/slm#numberOfParameters" in iris and len(iris) == len(set(iris))
    browser.find_element(By.PARTIAL_LINK_TEXT, "Shapes").click()  # type: ignore[attr-defined]
    assert browser.current_url.endswith("#shapes")  # type: ignore[attr-defined]
    shape = browser.find_element(By.CSS_SELECTOR, "section.shape")  # type: ignore[attr-defined]
    assert "LanguageModelShape" in shape.text and shape.is_displayed()
