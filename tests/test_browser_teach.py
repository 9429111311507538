"""A clinician teaches posecheck an exercise on the Teach page and it is coached live (issue 26):
a sample demonstration (samples/cat-cow__synth-too-fast.mp4, 13.5 s, two cat-cows) is learned in
the background, the reps it found are shown, the exercise is saved under a new name with its
clip into a temporary user folder, and it is in the Exercises page's list at once, where its
kept demonstration is played to the live coach (the server plays it; no camera), which counts it.

The pose model's landmarks of the clip come from the test detection cache after the first run
($POSECHECK_DETECTION_CACHE, io/detection_cache.py). What it does not prove: that a learned
exercise counts other people and views (benchmarks/learn_from_demo.py measures that).
"""

import pytest

from browser import ARTIFACTS, COACHING, launch, pass_safety_check, running_app, wait_for_selector, wait_for_text, \
    wait_until_idle
from conftest import DETECTION_CACHE

SAMPLE = "Cat-cow: one rep too fast (animated figure)"
LOOPBACK_ARGS = ["--allow-loopback-in-peer-connection"]


@pytest.mark.browser
def test_a_taught_exercise_is_saved_listed_and_coached_live(tmp_path):
    from playwright.sync_api import sync_playwright

    mine = tmp_path / "my-exercises"
    env = {"POSECHECK_USER_EXERCISES": str(mine), "POSECHECK_DETECTION_CACHE": str(DETECTION_CACHE)}
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(tmp_path / "history.db", env=env) as url, sync_playwright() as p:
        browser = launch(p, LOOPBACK_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        page.goto(url + "/teach")
        page.wait_for_selector("h1:has-text('Teach an exercise')", timeout=30000)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name=SAMPLE, exact=True).click()
        wait_until_idle(page)
        page.get_by_role("button", name="Learn from this video").click()
        wait_for_text(page, "What the demonstration shows", 240, "teach-not-learned.png")
        wait_until_idle(page)
        found = page.locator("[data-testid='stMain']").inner_text()
        page.get_by_label("Title (as the exercise list shows it)").fill("My cat-cow")
        page.get_by_label("Title (as the exercise list shows it)").press("Enter")
        wait_until_idle(page)
        page.set_viewport_size({"width": 1366, "height": 1500})  # the chart, the poses and the form in one picture
        page.locator("h3:has-text('What the demonstration shows')").scroll_into_view_if_needed()
        page.screenshot(path=str(ARTIFACTS / "teach-page-found.png"))
        page.set_viewport_size({"width": 1366, "height": 900})
        page.get_by_role("button", name="Save the exercise").click()
        wait_for_text(page, "Saved “My cat-cow”", 30, "teach-not-saved.png")
        page.screenshot(path=str(ARTIFACTS / "teach-page-saved.png"))
        page.get_by_role("link", name="Exercises").click()
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="My cat-cow", exact=True).click()
        page.wait_for_selector("h3:has-text('My cat-cow')", timeout=30000)
        page.get_by_text("A sample video (no webcam needed)").click()
        pass_safety_check(page)
        offered = page.get_by_test_id("stSelectbox").nth(1).locator("input").input_value()
        webrtc = page.frame_locator("iframe[title*='streamlit_webrtc']").first
        webrtc.get_by_role("button", name="START").click()
        wait_for_selector(page, COACHING, 60, "teach-no-frames.png")
        page.wait_for_function("() => +document.querySelector('.coach-view').dataset.reps >= 1", timeout=60000)
        page.screenshot(path=str(ARTIFACTS / "teach-coached.png"))
        webrtc.get_by_role("button", name="STOP").click()
        wait_for_selector(page, "#session-summary", 30, "teach-no-summary.png")
        page.get_by_role("tab", name="How to do it").click()
        guide = page.get_by_role("tabpanel", name="How to do it").inner_text()
        browser.close()
    assert "Found 2 reps" in found and "How sure" in found
    assert sorted(path.name for path in mine.iterdir()) == ["my-cat-cow.mp4", "my-cat-cow.toml"]
    assert 'title = "My cat-cow"' in (mine / "my-cat-cow.toml").read_text()
    assert offered == "the demonstration it was learned from"
    assert "The demonstration this exercise was learned from" in guide
