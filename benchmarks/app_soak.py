"""Soak the app server: many browser sessions against one server, checking after each that it
still answers, and that its memory and threads stay flat.

    .venv/bin/python benchmarks/app_soak.py [--sessions 50] [--out FILE.json]

One Streamlit server (loopback, its own history file) and headless Chromium. The sessions cycle
through what people do: live coaching on the exercise's sample (START, then STOP), the same with
"Stop: it hurts", an analysis of a sample, a routine started and both steps skipped, a reload in
the middle of a live session, and a tab closed in the middle of one. After each session: the
health endpoint and the page must answer within 5 s; the server's resident memory and thread
count are read from /proc, and the last cycle of scenarios must not peak more than a quarter
above the first in memory, nor 10 threads above it. Prints one line per session and the figures at the end; exits 1 if an
answer took longer than 5 s or failed. Traffic goes to 127.0.0.1 only; every wait is bounded.
About 10 s a session on a 2-core machine.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
ANSWER_WITHIN = 5.0
EXERCISES = ["Cat-cow", "Bird-dog", "Knee-to-chest", "Glute bridge", "Child's pose"]
ROUTINE = """name = "soak"
title = "Soak"
summary = "Two steps to skip."
situation = "general"

[[steps]]
exercise = "knee-to-chest"
holds = 1
rest_seconds = 3

[[steps]]
exercise = "cat-cow"
reps = 1
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def proc_status(pid: int) -> tuple[float, int]:
    """The server's resident memory (MB) and thread count."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["Threads"])


def timed_get(url: str) -> float:
    """Seconds until `url` answered 200 (raises on a failure or after ANSWER_WITHIN)."""
    started = time.monotonic()
    with urllib.request.urlopen(url, timeout=ANSWER_WITHIN) as answer:
        answer.read()
        if answer.status != 200:
            raise RuntimeError(f"{url} answered {answer.status}")
    return time.monotonic() - started


def choose(page, url: str, title: str) -> None:
    page.goto(url)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name=title, exact=True).click()
    page.wait_for_selector(f"h3:has-text(\"{title}\")", timeout=30000)


def prepare_sample_if_needed(page, where) -> None:
    """An exercise with no shipped sample offers to render one (once, about 15 s)."""
    prepare = where.get_by_role("button", name="Prepare a sample video", exact=False)
    if prepare.count():
        prepare.first.click()
        where.get_by_test_id("stSelectbox").first.wait_for(timeout=120000)


def start_sample(page) -> object:
    page.get_by_text("A sample video (no webcam needed)").click()
    page.wait_for_timeout(500)
    prepare_sample_if_needed(page, page.get_by_role("tabpanel", name="Live coaching"))
    page.get_by_text("None of these apply to me today").click()
    webrtc = page.frame_locator("iframe[title*='streamlit_webrtc']").first
    webrtc.get_by_role("button", name="START").click()
    page.wait_for_selector(".coach-view:not([data-frames='0'])", timeout=60000)
    return webrtc


def live(page, url, title):
    choose(page, url, title)
    webrtc = start_sample(page)
    page.wait_for_timeout(2000)
    webrtc.get_by_role("button", name="STOP").click()
    page.wait_for_selector("#session-summary", timeout=30000)


def hurts(page, url, title):
    choose(page, url, title)
    start_sample(page)
    page.get_by_role("button", name="Stop: it hurts").click()
    page.wait_for_selector("text=Stopped because it hurts", timeout=30000)


def analyse(page, url, title):
    choose(page, url, title)
    page.get_by_role("tab", name="Analyse a video").click()
    prepare_sample_if_needed(page, page.get_by_role("tabpanel", name="Analyse a video"))
    page.get_by_role("button", name="Analyse", exact=True).click()
    page.wait_for_selector("text=Saved to your history as session", timeout=120000)


def routine(page, url, _title):
    page.goto(url + "/routines")
    page.wait_for_selector("h3:has-text('Soak')", timeout=30000)
    page.get_by_text("None of these apply to me today").click()
    page.get_by_role("button", name="Start the routine").click()
    for step in (1, 2):
        page.wait_for_selector(f"text=Step {step} of 2", timeout=30000)
        page.get_by_role("button", name="Skip this exercise").click()
    page.wait_for_selector("text=0 of 2 exercises done", timeout=30000)


def reload_mid_session(page, url, title):
    choose(page, url, title)
    start_sample(page)
    page.reload()
    page.wait_for_selector("h1:has-text('posecheck')", timeout=30000)


def close_mid_session(page, url, title):
    choose(page, url, title)
    start_sample(page)
    page.close()


SCENARIOS = [live, hurts, analyse, routine, reload_mid_session, close_mid_session]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--out", help="also write the figures as JSON")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    work = Path(tempfile.mkdtemp(prefix="posecheck-soak-"))
    (work / "routines").mkdir()
    (work / "routines" / "soak.toml").write_text(ROUTINE)
    port = free_port()
    env = dict(os.environ, POSECHECK_DB=str(work / "history.db"), POSECHECK_ROUTINES=str(work / "routines"))
    server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless",
                               "true", "--server.port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    rows, failures = [], []
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                timed_get(url + "/_stcore/health")
                break
            except OSError:
                time.sleep(0.5)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=[
                "--no-sandbox", "--disable-gpu", "--allow-loopback-in-peer-connection"])
            warm = browser.new_page()  # the first page run loads the exercises and the model
            warm.goto(url)
            warm.wait_for_selector("h1:has-text('posecheck')", timeout=60000)
            warm.close()
            start_memory, start_threads = proc_status(server.pid)
            print(f"start: {start_memory:.0f} MB, {start_threads} threads")
            for i in range(args.sessions):
                scenario = SCENARIOS[i % len(SCENARIOS)]
                title = EXERCISES[i % len(EXERCISES)]
                context = browser.new_context(viewport={"width": 1366, "height": 900})
                page = context.new_page()
                started = time.monotonic()
                error = ""
                try:
                    scenario(page, url, title)
                except Exception as exc:  # noqa: BLE001 - a session that fails is reported, the soak goes on
                    error = f"{type(exc).__name__}: {str(exc).splitlines()[0][:160]}"
                context.close()
                try:
                    health = timed_get(url + "/_stcore/health")
                    page_answer = timed_get(url + "/")
                except Exception as exc:  # noqa: BLE001
                    health = page_answer = float("inf")
                    failures.append(f"session {i + 1}: the server did not answer: {exc}")
                memory, threads = proc_status(server.pid)
                row = dict(session=i + 1, scenario=scenario.__name__, exercise=title,
                           seconds=round(time.monotonic() - started, 1), health_s=round(health, 3),
                           page_s=round(page_answer, 3), memory_mb=round(memory), threads=threads, error=error)
                rows.append(row)
                print(" ".join(f"{k}={v}" for k, v in row.items() if v != ""), flush=True)
            browser.close()
        end_memory, end_threads = proc_status(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(15)
        except subprocess.TimeoutExpired:
            failures.append("the server did not stop on SIGTERM within 15 s")
            server.kill()
    slowest = max(max(r["health_s"], r["page_s"]) for r in rows)
    failed_sessions = [r for r in rows if r["error"]]
    failures += [f"session {r['session']} ({r['scenario']}, {r['exercise']}): {r['error']}" for r in failed_sessions]
    cycle = len(SCENARIOS)  # memory and threads per cycle of scenarios: the first against the last
    first, last = rows[:cycle], rows[-cycle:]
    figures = dict(sessions=len(rows), start_memory_mb=round(start_memory), end_memory_mb=round(end_memory),
                   first_cycle_memory_mb=[min(r["memory_mb"] for r in first), max(r["memory_mb"] for r in first)],
                   last_cycle_memory_mb=[min(r["memory_mb"] for r in last), max(r["memory_mb"] for r in last)],
                   start_threads=start_threads, end_threads=end_threads,
                   first_cycle_threads_max=max(r["threads"] for r in first),
                   last_cycle_threads_max=max(r["threads"] for r in last),
                   slowest_answer_s=round(slowest, 3), sessions_with_errors=len(failed_sessions), failures=failures)
    # Flat: the last cycle's peak memory within a quarter of the first's, and no thread pile-up.
    if figures["last_cycle_memory_mb"][1] > 1.25 * figures["first_cycle_memory_mb"][1]:
        failures.append(f"memory grew: {figures['first_cycle_memory_mb']} MB -> {figures['last_cycle_memory_mb']} MB")
    if figures["last_cycle_threads_max"] > figures["first_cycle_threads_max"] + 10:
        failures.append(f"threads grew: {figures['first_cycle_threads_max']} -> {figures['last_cycle_threads_max']}")
    print(json.dumps(figures, indent=2))
    if args.out:
        Path(args.out).write_text(json.dumps({"figures": figures, "sessions": rows}, indent=2))
    return 1 if failures or slowest > ANSWER_WITHIN else 0


if __name__ == "__main__":
    sys.exit(main())
