"""The live camera's pieces shared by the Exercises and Routines pages: the history store, the
demonstration video, the coach for one session, the webcam through streamlit-webrtc, the live
counts and spoken feedback."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import streamlit as st

from posecheck.io.store import Store, StoreError
from posecheck.pipeline.live import LiveCoach

SAMPLE_HINT = " or choose \"A sample video\" above"  # only where the page offers one


def camera_words(sample_offered: bool) -> dict:
    """streamlit-webrtc's messages, in plain words."""
    hint = SAMPLE_HINT if sample_offered else ""
    return {
        "start": "START", "stop": "STOP", "select_device": "SELECT DEVICE",
        "media_api_not_available": f"This browser cannot use a camera here. Open posecheck at http://localhost "
                                   f"(or over https){hint}.",
        "device_ask_permission": "Please allow this page to use your camera.",
        "device_not_available": f"No camera was found. Plug one in, close other apps using it{hint}.",
        "device_access_denied": "Camera access was refused. Allow it for this page (the camera icon in the "
                                "address bar), then press START again",
    }


def camera_help(sample_offered: bool) -> str:
    hint = " Or choose \"A sample video\" to try posecheck without one." if sample_offered else ""
    return ("Press START once: the camera takes a few seconds to start. If the button still says START after "
            "that, press it again. Camera not starting? Allow camera access for this page (the camera icon in "
            "the address bar) and close other apps that use the camera." + hint)
# START pressed (the browser's offer reached the app) and still no picture after this long: locally
# the camera connects in 1 to 3 s, even on a busy 2-core machine. Seen after START pressed twice in
# quick succession: the component does nothing visible for a moment after a press, a second press
# then opens a second browser connection, and the app's answer goes to the wrong one.
CONNECT_SECONDS = 10.0
NO_PICTURE = ("The camera did not start: no picture has come {seconds:.0f} s after START. Press START again "
              "(if the button says STOP, press STOP first), once, and give it a few seconds.")


def open_store() -> Store | None:
    """The history database, or None (with a message) if it cannot be opened: coaching still works."""
    try:
        return Store()
    except (StoreError, OSError) as exc:
        st.error(f"Your history could not be opened, so this session will not be saved: {exc}")
        return None


@st.cache_data(show_spinner="Preparing the demonstration…", max_entries=32, persist="disk")
def demo_video(name: str, motion_version: str = "") -> bytes | None:
    """The correct movement, rendered from the exercise's motion data (None if it has none).
    Kept on disk: an exercise's page shows its demonstration at once after the first time.
    `motion_version` (the motion file's digest) makes an edited motion render again."""
    from posecheck.synth import render_demo

    try:
        return render_demo(name)
    except FileNotFoundError:
        return None


def motion_version(name: str) -> str:
    import hashlib

    from posecheck.synth.motion import motion_dir

    try:
        return hashlib.sha256((motion_dir() / f"{name}.toml").read_bytes()).hexdigest()[:16]
    except OSError:
        return ""


def show_demo(template) -> None:
    video = demo_video(template.name, motion_version(template.name))
    if video:
        st.video(video, format="video/mp4", loop=True, autoplay=True, muted=True)
        st.caption("The correct movement (an animated figure; the holds are shortened).")


def rtc_configuration() -> dict:
    """No STUN/TURN by default: localhost needs none and nothing goes out to the internet.
    Set POSECHECK_ICE_SERVERS to a JSON list (e.g. a TURN server) for a remote deployment."""
    return {"iceServers": json.loads(os.environ.get("POSECHECK_ICE_SERVERS", "[]"))}


def new_coach(template, source_name: str, routine_run: int | None = None) -> LiveCoach:
    from posecheck.pipeline.estimator import MediaPipePose
    from posecheck.io.store import SessionRecorder

    from posecheck.ui.coaches import coach_owner, this_session

    store = open_store()
    coach = LiveCoach(template, MediaPipePose(max_people=2, outline=template.reads_outline),
                      lambda: SessionRecorder(store, template.name, "live", source_name, routine_run) if store else None)
    return coach_owner().adopt(coach, this_session())


def retire_coach(coach: LiveCoach | None) -> None:
    """This page is done with `coach`: its session ends and its landmarker is closed now."""
    from posecheck.ui.coaches import coach_owner

    coach_owner().retire(coach)


def speak(placeholder, text: str) -> None:
    import streamlit.components.v1 as components

    with placeholder:
        components.html(
            "<script>const s = window.parent.speechSynthesis; if (s) { s.cancel(); "
            f"s.speak(new SpeechSynthesisUtterance({json.dumps(text)})); }}</script>", height=0)


def start_camera(key: str, coach: LiveCoach, sample: Path | None, stop: bool = False, sample_offered: bool = True):
    """The webcam (or a sample video played by the server) through streamlit-webrtc. `stop`: turn
    it off now (pass it until the camera reports it is off; then START works again)."""
    from streamlit_webrtc import WebRtcMode, webrtc_streamer

    def on_frame(frame):
        import av

        rgb = frame.to_ndarray(format="rgb24")
        return av.VideoFrame.from_ndarray(coach.process(rgb), format="rgb24")

    # A portrait clip keeps its own shape inside a laptop's window instead of running off the screen
    # (in px: inside the component's iframe, vh would be the iframe's own height).
    fit = {"autoPlay": True, "controls": False, "muted": True,
           "style": {"width": "100%", "maxHeight": "560px", "objectFit": "contain", "background": "#10151f"}}
    options = dict(video_frame_callback=on_frame, rtc_configuration=rtc_configuration(), video_html_attrs=fit,
                   async_processing=True,  # async: stale frames are dropped, never queued
                   desired_playing_state=False if stop else None)
    if sample is not None:
        from aiortc.contrib.media import MediaPlayer

        return webrtc_streamer(key=key, mode=WebRtcMode.RECVONLY, media_stream_constraints={"video": True, "audio": False},
                               player_factory=lambda: MediaPlayer(str(sample)), **options)
    ctx = webrtc_streamer(key=key, mode=WebRtcMode.SENDRECV, **options, translations=camera_words(sample_offered),
                          media_stream_constraints={"video": {"width": 640, "height": 480}, "audio": False})
    hint = st.empty()  # always a slot: a page that stays in a live loop never shows a stale hint
    if not ctx.state.playing:
        hint.markdown(camera_help(sample_offered))
    return ctx


def seconds_without_picture(ctx, coach: LiveCoach, key: str, clock=time.monotonic) -> float:
    """How long the camera `key` has been starting without a picture: from the first run that saw
    START (the browser's offer, or the connection) until the coach's first frame. 0 otherwise."""
    mark = f"camera-starting-{key}"
    starting = (ctx.state.signalling or ctx.state.playing) and coach.snapshot().frames == 0
    if not starting:
        st.session_state.pop(mark, None)
        return 0.0
    now = clock()
    return now - st.session_state.setdefault(mark, now)


def wait_for_picture(ctx, coach: LiveCoach, key: str, slot, poll: float = 0.3, clock=time.monotonic) -> None:
    """While the camera connects (START pressed, not playing yet), keep this run going so that the
    page can say plainly what to do if no picture comes within CONNECT_SECONDS. Returns at once
    when the camera is not connecting; any rerun (the connection coming up) also ends it."""
    while ctx.state.signalling and not ctx.state.playing:
        waited = seconds_without_picture(ctx, coach, key, clock)
        if waited > CONNECT_SECONDS:
            slot.warning(NO_PICTURE.format(seconds=waited))
            return
        slot.info("Starting the camera…")  # each write is a point where a rerun can take over
        time.sleep(poll)


def warn_if_no_picture(ctx, coach: LiveCoach, key: str, status) -> bool:
    """Inside a live loop: the camera is connected but has sent no picture for CONNECT_SECONDS."""
    waited = seconds_without_picture(ctx, coach, key)
    if waited > CONNECT_SECONDS:
        status.warning(NO_PICTURE.format(seconds=waited))
        return True
    return False


def show_live(panel, snapshot, template, target: int | None = None, each_side: int | None = None,
              details=None) -> None:
    """The coach view beside the camera (count, hold, cue, large); the processing rate only in
    the details panel, for whoever opens it."""
    from posecheck.ui.coach_view import coach_html

    state = snapshot.state
    fallback = "" if state.in_position else template.position.guidance
    panel.markdown(coach_html(state, snapshot.frames, target, each_side, fallback), unsafe_allow_html=True)
    if details is not None:
        details.caption(f"Processed {snapshot.fps:.0f} frames a second; {snapshot.frames} frames so far.")


def use_coach_style() -> None:
    from posecheck.ui.coach_view import STYLE

    st.markdown(STYLE, unsafe_allow_html=True)


def scroll_to_camera() -> None:
    """Bring the camera and the coach view into the window once the camera runs (a person on the
    mat does not scroll)."""
    import streamlit.components.v1 as components

    components.html("<script>const v = window.parent.document.querySelector(\"iframe[title*='streamlit_webrtc']\");"
                    "if (v) { v.scrollIntoView({block: 'start'}); }</script>", height=0)
