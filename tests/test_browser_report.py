"""The History page's "Report for my physiotherapist" in headless Chromium: the button downloads
the printable page for the last four weeks, made from this history, with the patient's name typed
beside it (and no clinician's, none given)."""

import time

import pytest

from browser import ARTIFACTS, launch, running_app, wait_for_text, wait_until_idle
from test_progress_report import add_session

DAY = 86400


@pytest.mark.browser
def test_the_history_page_downloads_the_report(tmp_path):
    from playwright.sync_api import sync_playwright

    from posecheck.io.store import Store

    db = tmp_path / "history.db"
    store = Store(db)
    now = time.time()
    add_session(store, now - 40 * DAY, "bird-dog", reps=3, pain=(2, 2))  # before the four weeks
    add_session(store, now - 3 * DAY, "bird-dog", reps=2, holds=[15, 11], pain=(4, 5), stop="pain")
    add_session(store, now - 1 * DAY, "bird-dog", reps=1, pain=(5, 6), stop="pain")
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(db) as url, sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1800}, accept_downloads=True)
        page.goto(url)
        page.get_by_role("link", name="History").click()
        wait_for_text(page, "Report for my physiotherapist", 30, "history-report.png")
        page.get_by_label("Patient's name (optional)").fill("Ana Souza")
        page.get_by_label("Patient's name (optional)").press("Enter")
        # The run that took the name has finished (else the click may land on a button that run
        # replaces, and no download comes).
        wait_for_text(page, "On the report: Patient: Ana Souza", 30, "history-report-named.png")
        wait_until_idle(page)
        with page.expect_download(timeout=30000) as download:
            page.get_by_role("button", name="Report for my physiotherapist (HTML").click()
        html = open(download.value.path(), encoding="utf-8").read()
        name = download.value.suggested_filename
        browser.close()
    assert name.startswith("posecheck-report-") and name.endswith(".html")
    assert "<h1>Progress report</h1>" in html and "Bird-dog was stopped for pain 2 times" in html
    assert "1 of 2 holds held 15 s or longer" in html and "http" not in html
    assert "Patient: <strong>Ana Souza</strong>" in html and "Clinician" not in html
    assert b"Souza" not in db.read_bytes()  # on the page only, never stored
