"""posecheck in the browser: choose an exercise, read how to do it, analyse a video of it.

Run with `./dev app`. Video stays on this machine: uploads are analysed in a temporary folder that
is deleted afterwards.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

os.environ.setdefault("GLOG_minloglevel", "2")

import streamlit as st  # noqa: E402

from posecheck.analysis import analyze_video  # noqa: E402
from posecheck.cli import reps_csv  # noqa: E402
from posecheck.core.template import TemplateError  # noqa: E402
from posecheck.io.templates import load_all  # noqa: E402
from posecheck.io.video import VideoError  # noqa: E402

SAMPLES = Path(__file__).parent / "samples"
MAX_UPLOAD_MB = 200
PAIN_WARNING = ("Stop if an exercise hurts. posecheck is a coach, not a doctor: see a doctor or "
                "physiotherapist about back pain that is severe, lasting or getting worse.")

st.set_page_config(page_title="posecheck", page_icon="🧘", layout="wide")


@st.cache_resource
def templates():
    return load_all()


def exercise_guide(template) -> None:
    st.subheader(template.title)
    st.write(template.summary)
    left, right = st.columns([3, 2])
    with left:
        st.markdown("**How to do it**")
        st.markdown("\n".join(f"{i}. {step}" for i, step in enumerate(template.instructions, 1)))
    with right:
        st.markdown("**Camera**")
        st.info(template.camera)
        if template.hold:
            st.markdown(f"**Hold** each position for about {template.hold.target_seconds:.0f} s.")
        st.markdown("**Safety**")
        st.markdown("\n".join(f"- {note}" for note in template.safety))


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
    if not st.button("Analyse", type="primary", disabled=video_path is None and uploaded is None):
        return
    with tempfile.TemporaryDirectory(prefix="posecheck-") as work:
        if uploaded is not None:
            if uploaded.size > MAX_UPLOAD_MB * 1024 * 1024:
                st.error(f"That file is {uploaded.size / 1e6:.0f} MB; the limit is {MAX_UPLOAD_MB} MB.")
                return
            video_path = Path(work) / Path(uploaded.name).name
            video_path.write_bytes(uploaded.getbuffer())
        annotated = Path(work) / "annotated.mp4"
        bar = st.progress(0.0, text="Analysing…")
        try:
            result = analyze_video(video_path, template, progress=lambda f: bar.progress(f, text=f"Analysing… {f:.0%}"),
                                   annotate_path=annotated)
        except VideoError as exc:
            bar.empty()
            st.error(f"This file could not be analysed: {exc}")
            return
        bar.empty()
        show_result(result, template, annotated.read_bytes() if annotated.exists() else None)


def show_result(result, template, video_bytes: bytes | None) -> None:
    summary = result.summary()
    cols = st.columns(4)
    cols[0].metric("Reps", summary["reps"])
    sides = ", ".join(f"{k} {v}" for k, v in summary["reps_by_side"].items() if k != "all")
    cols[1].metric("By side", sides or "-")
    holds = summary["holds_s"]
    cols[2].metric("Longest hold", f"{max(holds):.1f} s" if holds else "-",
                   help=f"Target {template.hold.target_seconds:.0f} s" if template.hold else None)
    cols[3].metric("Form notes", sum(summary["faults"].values()))
    if video_bytes:
        st.video(video_bytes, format="video/mp4")
    if result.reps:
        st.dataframe([r.to_dict() for r in result.reps], use_container_width=True, hide_index=True)
        st.download_button("Download reps (CSV)", reps_csv(result.reps), "reps.csv", "text/csv")
    else:
        st.warning("No reps were counted in this video.")
    for message in dict.fromkeys(e.message for e in result.faults):
        st.markdown(f"- {message}")
    for message in summary["guidance"] + summary["warnings"]:
        st.info(message)


def main() -> None:
    st.title("posecheck")
    st.caption("A camera coach for lower-back-pain exercises. Your video never leaves this computer.")
    st.warning(PAIN_WARNING)
    try:
        available = templates()
    except TemplateError as exc:
        st.error(f"An exercise file is broken: {exc}")
        return
    name = st.sidebar.selectbox("Exercise", list(available), format_func=lambda n: available[n].title)
    template = available[name]
    exercise_guide(template)
    analyse_section(template)


main()
