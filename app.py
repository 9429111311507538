"""posecheck in the browser: choose an exercise, read how to do it, analyse a video of it.

Run with `./dev app`. Video stays on this machine: uploads are analysed in a temporary folder that
is deleted afterwards.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import streamlit as st  # noqa: E402

from posecheck.analysis import BackgroundAnalysis  # noqa: E402
from posecheck.ui.history import history_page  # noqa: E402
from posecheck.ui.live import (new_coach, open_store, show_demo, show_live, speak, start_camera,  # noqa: E402
                               wait_for_picture, warn_if_no_picture)
from posecheck.ui.pain import (STOPPED_FOR_PAIN, ask_pain_after, pain_rating, safety_check,  # noqa: E402
                               show_suggestion_for)
from posecheck.ui.review import show_chart, show_metrics, show_notes, show_reps  # noqa: E402
from posecheck.core.template import DataError  # noqa: E402
from posecheck.io.templates import load_available  # noqa: E402
from posecheck.live import LiveCoach  # noqa: E402
from posecheck.memory import limit_malloc_arenas  # noqa: E402

limit_malloc_arenas()  # long analyses in worker threads: keep memory flat

SAMPLES = Path(__file__).parent / "samples"
PAIN_WARNING = ("Stop if an exercise hurts. posecheck is a coach, not a doctor: see a doctor or "
                "physiotherapist about back pain that is severe, lasting or getting worse.")

st.set_page_config(page_title="posecheck", page_icon="🧘", layout="wide")


@st.cache_resource
def templates():
    """The exercises that load, and each broken file's problem (its exercise is unavailable)."""
    return load_available()


def exercise_guide(template) -> None:
    st.subheader(template.title)
    st.write(template.summary)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**How to do it**")
        st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(template.instructions, 1)))
        if template.look_alikes:
            st.caption(f"Not to be confused with {', '.join(template.look_alikes)}: when posecheck sees "
                       "one of those instead, it tells you what to change rather than counting it.")
    with right:
        show_demo(template)
        st.markdown("**Camera**")
        st.info(template.camera)
        if template.hold:
            st.markdown(f"**Hold** each position for about {template.hold.target_seconds:.0f} s.")
        st.markdown("**Safety**")
        st.markdown("\n".join(f"- {note}" for note in template.safety))


@st.fragment(run_every=1.0)
def analysis_progress(job, counts_shown: bool) -> None:
    """Only this bar reruns, once a second, while the analysis works (a whole-page rerun every
    half second took CPU from the analysis: a 1-minute clip took 58 s; see also runner.postScriptGC
    in .streamlit/config.toml); the whole page reruns when the counts are ready, and again when
    the annotated video is."""
    if job.running and (job.result is not None) == counts_shown:
        doing, done = ("Drawing the annotated video", job.drawing_progress) if counts_shown else \
            (f"Analysing {job.name}", job.progress)
        st.progress(done, text=f"{doing}… {done:.0%}")
    else:
        st.rerun()


def analyse_section(template) -> None:
    st.markdown("### Analyse a recorded video")
    samples = sorted(p.name for p in SAMPLES.glob("*.mp4"))
    source = st.radio("Video", ["A sample video", "Upload my own"], horizontal=True)
    video_path: Path | None = None
    uploaded = None
    if source == "A sample video":
        choice = st.selectbox("Sample", samples) if samples else None
        video_path = SAMPLES / choice if choice else None
    else:
        uploaded = st.file_uploader("Video file (MP4, MOV, WebM, AVI, GIF)",
                                    type=["mp4", "mov", "m4v", "webm", "avi", "mkv", "gif"])
    if st.button("Analyse", type="primary", disabled=video_path is None and uploaded is None):
        if uploaded is not None:
            st.session_state.job = BackgroundAnalysis(template, data=bytes(uploaded.getbuffer()), name=uploaded.name,
                                                      store=open_store())
        else:
            st.session_state.job = BackgroundAnalysis(template, path=video_path, name=video_path.name,
                                                      store=open_store())
    # The analysis runs in a thread: other widgets (or the webcam component) may rerun the page
    # meanwhile without cancelling it.
    job = st.session_state.get("job")
    if job is None or job.template.name != template.name:
        return
    if job.result is None and job.running:
        analysis_progress(job, counts_shown=False)
    elif job.error:
        st.error(f"This file could not be analysed: {job.error}")
    else:
        show_result(job, template)


def show_result(job: BackgroundAnalysis, template) -> None:
    result = job.result
    summary = result.summary()
    took = f"Analysed {result.duration:.0f} s of video in {job.seconds:.0f} s."
    saved = f" Saved to your history as session #{job.session_id}." if job.session_id else ""
    st.success(took + saved)
    show_metrics(result.reps, summary["holds_s"], len(result.faults), template)
    video, chart = st.columns([2, 3])
    with video:
        if job.running:
            analysis_progress(job, counts_shown=True)
        elif job.video:
            st.video(job.video, format="video/mp4")
    with chart:
        show_chart(result.series, result.reps, template)
    show_reps(result.reps, template, result.to_dict(), key="analysis")
    show_notes([e.message for e in result.faults] + [e.message for e in result.holds])
    for message in summary["guidance"] + summary["warnings"]:
        st.info(message)


def live_section(template) -> None:
    st.markdown("### Live coaching")
    samples = sorted(SAMPLES.glob("*.mp4"))
    source = st.radio("Camera", ["My webcam", "A sample video (no webcam needed)"], horizontal=True,
                      key="live_source")
    sample = samples[0] if source.startswith("A sample") and samples else None
    muted = st.toggle("Mute spoken feedback", key="muted")
    if not safety_check():
        if not st.session_state.get("safety_answers"):
            st.info("Live coaching starts once the check above is answered.")
        return
    pain_before = pain_rating("How is your back pain right now?", key=f"pain-before-{template.name}")
    key = f"live-{template.name}-{'sample' if sample else 'webcam'}"
    coach = current_coach(template, key, sample.name if sample else "webcam")
    ctx = start_camera(key, coach, sample)
    if ctx.state.playing and not st.session_state.get("coach_done"):
        if st.button("Stop: it hurts", key=f"hurts-{key}"):
            stop_for_pain(coach)
    hurt = st.session_state.get("stopped_for_pain") == id(coach)
    if hurt:
        st.error(STOPPED_FOR_PAIN)
        if not ctx.state.playing:  # the camera is off: the next START is a new session
            st.session_state.stopped_for_pain = None
    status, counts, speech = st.empty(), st.empty(), st.empty()
    wait_for_picture(ctx, coach, key, status)  # START pressed: say so if no picture comes
    while ctx.state.playing and not st.session_state.get("coach_done"):
        save_pain_before(coach, pain_before)
        show_live(counts, status, coach.snapshot(), template)
        if not warn_if_no_picture(ctx, coach, key, status) and coach.stalled():
            status.warning("The camera stopped sending pictures. What you did so far is saved: press STOP, "
                           "then START to go on.")
        while not coach.spoken.empty():
            phrase = coach.spoken.get()
            if not muted:
                speak(speech, phrase)
        time.sleep(0.3)
    snapshot = coach.snapshot()
    if snapshot.frames and not ctx.state.playing:
        save_pain_before(coach, pain_before)
        show_live(counts, status, snapshot, template)
        show_session_end(coach, hurt)
    ask_pain_after(open_store())


def current_coach(template, key: str, source_name: str) -> LiveCoach:
    """This page's coach: a new one for a new exercise or camera, or once a session has ended
    (but not while a session stopped for pain still has its camera on)."""
    previous = st.session_state.get("coach")
    stopped_for_pain = previous is not None and st.session_state.get("stopped_for_pain") == id(previous)
    if st.session_state.get("coach_key") != key or st.session_state.get("coach_done") and not stopped_for_pain:
        st.session_state.coach = new_coach(template, source_name)
        st.session_state.coach_key, st.session_state.coach_done = key, False
    return st.session_state.coach


def show_session_end(coach: LiveCoach, hurt: bool) -> None:
    """The camera stopped: close the session, say what was saved, and ask for the pain after."""
    summary = coach.finish()
    st.session_state.coach_done = True
    if coach.recorder is not None:
        st.session_state.pain_after_pending = coach.recorder.session_id
    reps = summary["reps"]
    st.success(f"Session saved: {reps} rep{'' if reps == 1 else 's'}"
               + (f", holds {', '.join(f'{h:.0f} s' for h in summary['holds_s'])}" if summary["holds_s"] else ""))
    if not hurt:  # no "hold longer" after "it hurts"
        for fault in summary["faults"]:
            st.markdown(f"- {fault}")


def save_pain_before(coach: LiveCoach, pain: int | None) -> None:
    """The pain rated before the session goes with it once it exists (at the camera's first frame)."""
    recorder = coach.recorder
    if pain is not None and recorder is not None and st.session_state.get("pain_before_saved") != recorder.session_id:
        recorder.store.set_pain(recorder.session_id, before=pain)
        st.session_state.pain_before_saved = recorder.session_id


def stop_for_pain(coach: LiveCoach) -> None:
    """"Stop: it hurts": counting ends at once, what was done is kept, and why it stopped."""
    coach.finish()
    st.session_state.coach_done = True
    st.session_state.stopped_for_pain = id(coach)
    if coach.recorder is not None:
        coach.recorder.store.stop_session(coach.recorder.session_id, "pain")
        st.session_state.pain_after_pending = coach.recorder.session_id


def exercise_page() -> None:
    try:
        available, broken = templates()
    except DataError as exc:
        st.error(f"The exercises could not be loaded: {exc}")
        return
    st.title("posecheck")
    st.caption("A camera coach for lower-back-pain exercises. Your video never leaves this computer.")
    st.warning(PAIN_WARNING)
    for name, problem in broken.items():
        st.sidebar.warning(f"{name} is unavailable: {problem}")
    if not available:
        st.error("No exercise could be loaded: see the problems listed in the sidebar.")
        return
    name = st.sidebar.selectbox("Exercise", list(available), format_func=lambda n: available[n].title)
    template = available[name]
    exercise_guide(template)
    show_suggestion_for(open_store(), template.name, template.title)
    live, recorded = st.tabs(["Live coaching", "Analyse a video"])
    with recorded:
        analyse_section(template)
    with live:
        live_section(template)


def history() -> None:
    try:
        available, _ = templates()
    except DataError:
        available = {}  # the history still opens; sessions show their exercise names
    history_page(available)


def routines() -> None:
    from posecheck.ui.routine import routine_page

    try:
        available, _ = templates()
    except DataError as exc:
        st.error(f"The exercises could not be loaded: {exc}")
        return
    st.warning(PAIN_WARNING)
    routine_page(available)


st.navigation([st.Page(exercise_page, title="Exercises", icon="🧘", default=True),
               st.Page(routines, title="Routines", icon="📋", url_path="routines"),
               st.Page(history, title="History", icon="📈", url_path="history")]).run()
