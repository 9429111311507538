"""Shared by the browser tests: Debian's Chromium driven by Playwright, the app served by
Streamlit on a free port with its own history file, and a fake webcam fed from a clip."""

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT

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


@contextlib.contextmanager
def running_app(db_path: Path, *streamlit_args: str, env: dict | None = None):
    """The app on a free port, storing its history in `db_path`; yields its URL."""
    require_browser()
    port = free_port()
    env = dict(os.environ, POSECHECK_DB=str(db_path), **(env or {}))
    log = open(os.environ["POSECHECK_TEST_SERVER_LOG"], "a") if os.environ.get("POSECHECK_TEST_SERVER_LOG") \
        else subprocess.DEVNULL  # set it to a file to read what the server printed
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--browser.gatherUsageStats", "false", *streamlit_args],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(10)


BASE_ARGS = ("--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", "--no-first-run")


def launch(p, extra_args=()):
    return p.chromium.launch(executable_path=CHROMIUM, args=[*BASE_ARGS, *extra_args])


def table_rows(page, which: int = 0) -> int:
    """Rows in a data table (Streamlit's grid reports its rows, header included)."""
    grid = page.get_by_test_id("stDataFrame").nth(which).locator("[role=grid]").first
    return int(grid.get_attribute("aria-rowcount")) - 1


def pass_safety_check(page) -> None:
    """Answer the check before live coaching: none of the reasons not to exercise applies."""
    page.get_by_text("None of these apply to me today").click()


def wait_for_text(page, text: str, timeout_s: float, screenshot: str | None = None) -> None:
    """Wait until `text` shows; on a timeout fail with what the page showed instead (CI keeps
    no screenshots, so the words on the page are the only clue to why)."""
    wait_for_selector(page, f"text={text}", timeout_s, screenshot)


def wait_for_selector(page, selector: str, timeout_s: float, screenshot: str | None = None) -> None:
    """Wait until `selector` matches; on a timeout fail with what the page showed instead."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(selector, timeout=timeout_s * 1000)
    except PlaywrightTimeout:
        if screenshot:
            ARTIFACTS.mkdir(exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / screenshot), full_page=True)
        shown = " | ".join(page.locator("[data-testid='stMain']").inner_text(timeout=5000).split("\n"))
        pytest.fail(f"{selector!r} did not show within {timeout_s:.0f} s; the page showed: {shown[:1500]}")


def wait_until_idle(page, timeout_s: float = 60) -> None:
    """Wait until the app's script run has finished (Streamlit's running indicator is gone): a
    click before that may land on an element the run is about to replace."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                           timeout=timeout_s * 1000)


WEBRTC_IFRAME = "iframe[title*='streamlit_webrtc']"
NO_PICTURE_TEXT = "The camera did not start"  # the app's words when START brings no picture


COACHING = ".coach-view:not([data-frames='0'])"  # the coach view once frames reach the app


def live_reps(page) -> int:
    """The rep count the coach view shows."""
    return int(page.locator(".coach-view").first.get_attribute("data-reps"))


def start_camera(page, retry_after_s: float = 30, timeout_s: float = 60, screenshot: str | None = None):
    """Press the camera component's START once and wait until the coach view shows frames read
    (frames reach the app). If neither that nor the app's no-picture warning came first within
    `retry_after_s`, or the warning came, press START once more, as a user would (STOP first
    if the component still shows it), and say so in the test output: a test that needed the
    second press passes but does not hide it. Returns the component's frame."""
    import warnings

    webrtc = page.frame_locator(WEBRTC_IFRAME).first
    start = webrtc.get_by_role("button", name="START")
    start.click()
    started = time.time()
    deadline = started + retry_after_s
    while time.time() < deadline:
        if page.locator(COACHING).count():
            return webrtc
        if page.locator(f"text={NO_PICTURE_TEXT}").count():
            break
        page.wait_for_timeout(500)
    waited = time.time() - started
    shown = " | ".join(page.locator("[data-testid='stMain']").inner_text(timeout=5000).split("\n"))
    inside = " | ".join(webrtc.locator("body").inner_text(timeout=5000).split("\n"))
    stop = webrtc.get_by_role("button", name="STOP")
    if stop.is_visible():
        stop.click()
    start.wait_for(timeout=20000)
    note = (f"START pressed a second time: no picture {waited:.0f} s after the first press "
            f"(the component showed: {inside[:200]}; the page: {shown[-400:]})")
    print(note)
    warnings.warn(note, stacklevel=2)
    start.click()
    wait_for_selector(page, COACHING, timeout_s, screenshot)
    return webrtc
