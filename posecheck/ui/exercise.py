"""The Exercises page: choose an exercise, read how to do it, coach yourself live (webcam or a
sample of that exercise) with the coach view and a summary that stays, or analyse a recorded video.
Video stays on this machine: uploads are analysed in a temporary folder deleted afterwards."""

from __future__ import annotations

import time
from pathlib import Path

import streamlit as st

from posecheck.pipeline.analysis import BackgroundAnalysis
from posecheck.ui import flow
from posecheck.ui.coach_view import summary_html
from posecheck.ui.flow import STOPPED_FOR_PAIN, LiveSession
from posecheck.ui.camera import (new_coach, open_store, retire_coach, scroll_to_camera, show_demo, show_live, speak,
                               start_camera, wait_for_picture, warn_if_no_picture)
from posecheck.ui.pain_widgets import ask_pain_after, pain_rating, safety_check, show_suggestion_for
from posecheck.ui.review import form_notes, show_chart, show_metrics, show_notes, show_reps
from posecheck.ui.sample_videos import can_render, describe as describe_sample, hold_of, rendered_sample, samples_for

def exercise_guide(template) -> None:
    """How to do it: the steps and the demonstration, then camera, hold and safety. Text first, so
    nothing of the previously chosen exercise stays on screen while a demonstration is prepared."""
    st.write(template.summary)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**How to do it**")
        st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(template.instructions, 1)))
        if template.look_alikes:
            st.markdown(f"Not to be confused with {', '.join(template.look_alikes)}: when posecheck sees "
                        "one of those instead, it tells you what to change rather than counting it.")
        st.markdown("**Safety**")
        st.markdown("\n".join(f"- {note}" for note in template.safety))
    with right:
        st.markdown("**Camera**")
        st.info(template.camera)
        if template.hold:
            st.markdown(f"**Hold** each position for about {template.hold.target_seconds:.0f} s.")
        show_demo(template)
        show_demonstration_clip(template)


def show_demonstration_clip(template) -> None:
    """The clip a learned exercise was taught from, when it was kept (on this computer only)."""
    from posecheck.io.templates import demonstration_clip

    clip = demonstration_clip(template.name)
    if clip is not None:
        st.video(str(clip), format=video_format(clip), muted=True)
        st.caption("The demonstration this exercise was learned from (kept on this computer only).")


def video_format(path: Path) -> str:
    return {".webm": "video/webm", ".mov": "video/quicktime", ".gif": "image/gif"}.get(path.suffix.lower(), "video/mp4")


FIRST_RUN = """1. **Read** how to do the exercise and watch the demonstration (the *How to do it* tab).
2. **Safety check**: tell posecheck if anything on the list applies to you today.
3. **Rate your pain** now, from 0 to 10.
4. Put the laptop on the floor 2-3 m away, side-on to you, and press **START**. Do the exercise: the
   count, the hold timer and what to fix appear large beside the camera, and are spoken.
5. Press **STOP** when you are done (or **Stop: it hurts** at once if it hurts).
6. Read your **summary** and rate your pain again. Everything is saved in *History*.
"""


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
    source = st.radio("Video", ["A sample video", "Upload my own"], horizontal=True)
    video_path: Path | None = None
    uploaded = None
    if source == "A sample video":
        video_path = choose_sample(template, key=f"analyse-sample-{template.name}")
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
    notes = form_notes([(e.rep, e.message) for e in result.faults])
    show_metrics(result.reps, summary.holds_s, len(notes), template)
    video, chart = st.columns([3, 2])
    with video:
        if job.running:
            analysis_progress(job, counts_shown=True)
        elif job.video:
            st.video(job.video, format="video/mp4")
    with chart:
        show_chart(result.series, result.reps, template)
    show_reps(result.reps, template, result.to_dict(), key="analysis")
    show_notes(notes)
    for message in summary.guidance + summary.warnings:
        st.info(message)


def live_section(template) -> None:
    source = st.radio("Camera", ["My webcam", "A sample video (no webcam needed)"], horizontal=True,
                      key="live_source")
    sample = choose_sample(template, key=f"live-sample-{template.name}") if source.startswith("A sample") else None
    if source.startswith("A sample") and sample is None:
        return
    muted = st.toggle("Mute spoken feedback", key="muted")
    if not safety_check():
        if not st.session_state.get("safety_answers"):
            st.info("The camera can start once the check above is answered.")
        return
    pain_before = pain_rating("How is your back pain right now?", key=f"pain-before-{template.name}")
    source_name = sample.name if sample else "webcam"
    key = f"live-{template.name}-{source_name}"
    state = live_state()
    coach = flow.live_coach(state, key, lambda: new_coach(template, source_name), retire_coach)
    camera_column, coach_column = st.columns([3, 2])
    with camera_column:
        ctx = start_camera(key, coach, sample, stop=state.camera_held_off == key)
    if flow.camera_released(state, key, ctx.state.playing):  # hand START back to the person (the
        st.rerun()  # component hides its buttons while the page holds it off)
    with coach_column:
        panel, speech, hurts = st.empty(), st.empty(), st.empty()  # slots: nothing stale stays on screen
        if flow.coaching(state, ctx.state.playing):
            if hurts.button("Stop: it hurts", key=f"hurts-{key}", type="primary", use_container_width=True):
                flow.stop_for_pain(state, key)
                st.rerun()
    status = st.empty()
    with st.expander("Details"):
        details = st.empty()
    wait_for_picture(ctx, coach, key, status)  # START pressed: say so if no picture comes
    if flow.coaching(state, ctx.state.playing):
        scroll_to_camera()
    while flow.coaching(state, ctx.state.playing):
        flow.save_pain_before(state, pain_before)
        show_live(panel, coach.snapshot(), template, details=details)
        if not warn_if_no_picture(ctx, coach, key, status) and coach.stalled():
            status.warning("The camera stopped sending pictures. What you did so far is saved: press STOP, "
                           "then START to go on.")
        while not coach.spoken.empty():
            phrase = coach.spoken.get()
            if not muted:
                speak(speech, phrase)
        time.sleep(0.3)
    if flow.camera_stopped(state, coach.snapshot().frames, ctx.state.playing):
        flow.save_pain_before(state, pain_before)
        flow.end_session(state)
    show_session_summary(state, template)


def choose_sample(template, key: str) -> Path | None:
    """A sample video of this exercise: a shipped one, or one rendered when the person asks (it
    takes a while the first time, so never unasked)."""
    samples = samples_for(template)
    if samples:
        return st.selectbox(f"Sample of {template.title}", samples, format_func=describe_sample, key=key)
    if not can_render(template):
        st.info(f"No sample video of {template.title} is available: use your webcam or upload a video.")
        return None
    if st.button(f"Prepare a sample video of {template.title} (about 15 s, once)", key=f"prepare-{key}"):
        with st.spinner(f"Preparing a sample video of {template.title}…"):
            rendered_sample(template.name, hold_of(template))
        st.rerun()
    return None


def live_state() -> LiveSession:
    """The live coaching's state, kept across the page's runs."""
    return st.session_state.setdefault("live_session", LiveSession())


def show_session_summary(state: LiveSession, template) -> None:
    """The last session's summary, on screen after STOP and after the pain-after tap."""
    shown = state.shown
    if shown is None or shown.exercise != template.name:
        return
    store = open_store()
    pain_before, pain_after = flow.shown_pains(shown, store)
    if shown.stopped_for_pain:
        st.error(STOPPED_FOR_PAIN)
    st.markdown(summary_html(shown.title, shown.summary, shown.session_id is not None, pain_before,
                             pain_after, shown.stopped_for_pain), unsafe_allow_html=True)
    if ask_pain_after(store, state):
        st.rerun()


def exercise_page(available: dict, broken: dict, pain_warning: str) -> None:
    st.title("posecheck")
    st.markdown("A camera coach for lower-back-pain exercises. Your video never leaves this computer.")
    st.warning(pain_warning)
    for name, problem in broken.items():
        st.warning(f"{name} is unavailable: {problem}")
    if not available:
        st.error("No exercise could be loaded: see the problems listed above.")
        return
    name = st.selectbox("Exercise", list(available), format_func=lambda n: available[n].title, key="exercise")
    template = available[name]
    store = open_store()
    with st.expander("How a session goes", expanded=store is None or not store.sessions()):
        st.markdown(FIRST_RUN)
    st.subheader(template.title)
    show_suggestion_for(store, template.name, template.title)
    live, guide, recorded = st.tabs(["Live coaching", "How to do it", "Analyse a video"])
    with guide:
        exercise_guide(template)
    with recorded:
        analyse_section(template)
    with live:
        live_section(template)
