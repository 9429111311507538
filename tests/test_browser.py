"""The live page in a real browser: headless Chromium with a fake webcam fed from a corpus clip.

Proves the whole live path (browser camera -> WebRTC on loopback -> worker thread -> engine ->
counts on the page) shows the clip's labelled rep count. It does not prove the count on a real
webcam, with its noise, lighting and frame drops. Skips where Chromium or the corpus is absent.
"""

import time

import pytest

from browser import (ARTIFACTS, CHROMIUM, PADDING_SECONDS, launch, live_reps, pass_safety_check, running_app,
                     start_camera, table_rows, to_y4m)
from conftest import CORPUS, require_corpus


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    with running_app(tmp_path_factory.mktemp("db") / "history.db") as url:
        yield url


@pytest.mark.browser
@pytest.mark.corpus
@pytest.mark.parametrize("clip, exercise, title, expected", [
    ("catcow__workout-app.mp4", "cat-cow", "Cat-cow", 1),
    ("birddog__polybag.mp4", "bird-dog", "Bird-dog", 2),
])
def test_live_page_counts_a_fake_webcam_clip(app_url, tmp_path, clip, exercise, title, expected):
    require_corpus()
    from playwright.sync_api import sync_playwright

    y4m = tmp_path / "camera.y4m"
    duration = to_y4m(CORPUS / "videos" / clip, y4m)
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={y4m}",
            "--allow-loopback-in-peer-connection"])
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.goto(app_url)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=title, exact=True).click()
        page.wait_for_selector(f"h3:has-text('{title}')", timeout=30000)
        pass_safety_check(page)
        webrtc = start_camera(page)
        started = time.time()
        # The fake camera loops its file: stop during the blank padding after the first pass.
        time.sleep(max(0.0, duration + PADDING_SECONDS / 2 - (time.time() - started)))
        reps = live_reps(page)
        fps = page.locator(".coach-view").first.get_attribute("data-frames") + " frames"
        page.screenshot(path=str(ARTIFACTS / f"live-{exercise}.png"), full_page=True)
        webrtc.get_by_role("button", name="STOP").click()
        page.wait_for_selector("#session-summary", timeout=30000)
        page.screenshot(path=str(ARTIFACTS / f"live-{exercise}-stopped.png"), full_page=True)
        browser.close()
    print(f"{clip}: page showed {reps} reps at {fps} processed")
    assert int(reps) == expected


@pytest.mark.browser
def test_analyse_tab_shows_the_sample_count(app_url):
    """The Analyse tab runs in a worker thread, so the page's reruns (the webcam component
    makes some) must not cancel it. Uses samples/, which is always present."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        page = browser.new_page(viewport={"width": 1280, "height": 1600})
        page.goto(app_url)
        page.get_by_role("tab", name="Analyse a video").click()
        page.get_by_role("button", name="Analyse").click()
        page.wait_for_selector("text=Download reps", timeout=180000)
        reps = page.get_by_test_id("stMetricValue").first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "analyse-sample.png"), full_page=True)
        browser.close()
    assert int(reps) == 2


@pytest.mark.browser
@pytest.mark.corpus
def test_upload_a_clip_then_find_review_and_delete_it_in_the_history(app_url):
    """Upload a corpus clip (3 labelled reps), read the rep table, then open the History page:
    the session is there with the same reps, and deleting it removes it."""
    require_corpus()
    from playwright.sync_api import sync_playwright

    clip = CORPUS / "videos" / "birddog__my-guides__leg-cropped.mp4"
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        page.goto(app_url)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="Bird-dog", exact=True).click()
        page.get_by_role("tab", name="Analyse a video").click()
        page.get_by_text("Upload my own").click()
        page.locator("input[type=file]").set_input_files(str(clip))
        page.get_by_role("button", name="Analyse").click()
        page.wait_for_selector("text=Download reps", timeout=240000)
        analysed_rows = table_rows(page)
        saved = page.get_by_text("Saved to your history as session").inner_text()
        page.screenshot(path=str(ARTIFACTS / "analyse-upload.png"), full_page=True)

        page.get_by_role("link", name="History").click()
        page.wait_for_selector("text=Totals per exercise", timeout=30000)
        opened = page.get_by_role("combobox", name="Open a session").input_value()  # newest first
        page.wait_for_selector("text=Download everything (JSON)", timeout=30000)
        page.screenshot(path=str(ARTIFACTS / "history.png"), full_page=True)
        history_rep_rows = table_rows(page, -1)  # the opened session's rep table is the last one

        page.get_by_role("button", name="Delete this session").click()
        page.get_by_role("button", name="Yes, delete it").click()
        page.wait_for_timeout(2000)
        remaining = page.content()
        browser.close()
    session = saved.split("#")[1].rstrip(".")
    assert analysed_rows == 3
    assert opened.startswith(f"#{session} ") and clip.name in opened and "3 reps" in opened
    assert history_rep_rows == 3
    assert clip.name not in remaining
