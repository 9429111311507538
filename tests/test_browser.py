"""The live page in a real browser: headless Chromium with a fake webcam fed from a corpus clip.

Proves the whole live path (browser camera -> WebRTC on loopback -> worker thread -> engine ->
counts on the page) shows the clip's labelled rep count. It does not prove the count on a real
webcam, with its noise, lighting and frame drops. Skips where Chromium or the corpus is absent.
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import CORPUS, ROOT, require_corpus

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
PADDING_SECONDS = 4.0  # an empty room after the clip, so one pass can be stopped cleanly


def require_browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (.ci/run installs it: apt-get install chromium)")
    pytest.importorskip("playwright.sync_api", reason="playwright (Python) is not installed")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def to_y4m(clip: Path, out: Path, max_side: int = 480, fps: int = 30) -> float:
    """Re-encode a clip as Y4M (Chromium's fake camera format) at a steady rate, then pad it
    with blank frames. Returns the clip's duration."""
    import av

    from posecheck.io.video import read_frames

    frames = list(read_frames(clip, max_side=max_side))
    height, width = (d // 2 * 2 for d in frames[0].rgb.shape[:2])
    duration = frames[-1].timestamp
    container = av.open(str(out), "w", format="yuv4mpegpipe")
    stream = container.add_stream("rawvideo", rate=fps)
    stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
    blank = np.full((height, width, 3), 40, np.uint8)
    index = 0
    for i in range(int((duration + PADDING_SECONDS) * fps)):
        t = i / fps
        while index + 1 < len(frames) and frames[index + 1].timestamp <= t:
            index += 1
        rgb = frames[index].rgb[:height, :width] if t <= duration else blank
        frame = av.VideoFrame.from_ndarray(np.ascontiguousarray(rgb), format="rgb24").reformat(format="yuv420p")
        for packet in stream.encode(frame):
            container.mux(packet)
    container.close()
    return duration


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    require_browser()
    port = free_port()
    env = dict(os.environ, POSECHECK_DB=str(tmp_path_factory.mktemp("db") / "history.db"))
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.5)
    yield f"http://127.0.0.1:{port}"
    server.terminate()
    server.wait(10)


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
        page.get_by_role("option", name=title).click()
        page.wait_for_selector(f"h3:has-text('{title}')", timeout=30000)
        webrtc = page.frame_locator("iframe[title*='streamlit_webrtc']").first
        webrtc.get_by_role("button", name="START").click()
        page.wait_for_selector("text=Processed", timeout=60000)
        started = time.time()
        # The fake camera loops its file: stop during the blank padding after the first pass.
        time.sleep(max(0.0, duration + PADDING_SECONDS / 2 - (time.time() - started)))
        reps = page.get_by_test_id("stMetricValue").first.inner_text()
        fps = page.get_by_test_id("stMetricValue").nth(3).inner_text()
        page.screenshot(path=str(ARTIFACTS / f"live-{exercise}.png"), full_page=True)
        webrtc.get_by_role("button", name="STOP").click()
        page.wait_for_selector("text=Session saved", timeout=30000)
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


def launch(p):
    return p.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"])


def table_rows(page, which: int = 0) -> int:
    """Rows in a data table (Streamlit's grid reports its rows, header included)."""
    grid = page.get_by_test_id("stDataFrame").nth(which).locator("[role=grid]").first
    return int(grid.get_attribute("aria-rowcount")) - 1


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
        page.get_by_role("option", name="Bird-dog").click()
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
