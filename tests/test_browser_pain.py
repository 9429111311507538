"""Pain and safety in the browser (headless Chromium, a fake webcam playing a rendered sample):
the check before exercising blocks live coaching on any "yes"; pain is rated before and after
with one tap; "Stop: it hurts" ends the session at once and keeps why; the History page shows it.
"""

import pytest

from browser import ARTIFACTS, launch, pass_safety_check, running_app, start_camera, table_rows, to_y4m
from conftest import ROOT


def tap(page, group: int, label: str) -> None:
    """Tap one option of the page's `group`-th row of pills (Streamlit's button group)."""
    page.get_by_test_id("stButtonGroup").nth(group).get_by_text(label, exact=True).click()


@pytest.mark.browser
def test_the_safety_check_pain_ratings_and_stop_it_hurts(tmp_path):
    from playwright.sync_api import sync_playwright

    from posecheck.io.store import Store

    db = tmp_path / "history.db"
    y4m = tmp_path / "camera.y4m"
    to_y4m(ROOT / "samples" / "knee-to-chest__synth-correct.mp4", y4m)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(db) as url, sync_playwright() as p:
        browser = launch(p, ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                             f"--use-file-for-fake-video-capture={y4m}", "--allow-loopback-in-peer-connection"])
        page = browser.new_page(viewport={"width": 1280, "height": 1800})
        page.goto(url)
        page.get_by_test_id("stSelectbox").first.click()
        page.get_by_role("option", name="Knee-to-chest", exact=True).click()

        tap(page, 0, "Fever")
        page.wait_for_selector("text=Please don't exercise today", timeout=20000)
        blocked_camera = page.locator("iframe[title*='streamlit_webrtc']").count()
        page.screenshot(path=str(ARTIFACTS / "safety-check-blocks.png"), full_page=True)

        tap(page, 0, "Fever")  # answered wrongly: untapped
        pass_safety_check(page)
        tap(page, 1, "6")  # pain before
        webrtc = start_camera(page)
        page.wait_for_timeout(3000)
        page.get_by_role("button", name="Stop: it hurts").click()
        page.wait_for_selector("text=Stopped because it hurts", timeout=20000)
        # The camera is turned off with it: the component offers START again, STOP is gone.
        webrtc.get_by_role("button", name="START").wait_for(timeout=20000)
        camera_still_on = webrtc.get_by_role("button", name="STOP").count()
        tap(page, 2, "3")  # pain after
        page.wait_for_selector("#session-summary >> text=after 3/10", timeout=20000)
        summary_after_tap = page.locator("#session-summary").inner_text()
        page.screenshot(path=str(ARTIFACTS / "stopped-for-pain.png"), full_page=True)

        page.get_by_role("link", name="History").click()
        page.wait_for_selector("text=Export all sessions (CSV)", timeout=30000)  # below the pain section
        pain_heading = page.get_by_role("heading", name="Pain", exact=True).count()
        relief_rows = table_rows(page, 1)  # totals, then the pain change per exercise
        page.screenshot(path=str(ARTIFACTS / "history-pain.png"), full_page=True)
        browser.close()
    assert blocked_camera == 0  # no camera while a reason not to exercise is ticked
    assert camera_still_on == 0
    assert "Pain before 6/10, after 3/10" in summary_after_tap  # the summary stays after the pain-after tap
    (session,) = Store(db).sessions()
    assert (session["pain_before"], session["pain_after"], session["stop_reason"]) == (6, 3, "pain")
    assert pain_heading == 1 and relief_rows == 1
