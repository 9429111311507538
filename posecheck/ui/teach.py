"""The Teach page, for clinicians: a demonstration video in (uploaded, or one of the samples), an
exercise out (issue 26). The pose model and the learner (core/learn.py) run in the background
with a progress bar; the page then shows what was found (the key signal over time with the reps
marked, the start position and each position reached as skeletons, the findings and how sure),
lets the clinician name it, adjust each threshold and the hold target, add identity rules of an
existing exercise where they apply, and save it to the user's exercises folder, with the clip
beside it only if asked. The logic is in core/learn_adjust.py and io/templates.py; this wires it.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from posecheck.core.learn import LearnedExercise, expected_count
from posecheck.core.learn_adjust import (AdjustError, adjusted, borrow_all, hold_seconds, key_condition,
                                         name_from, name_problem, target_thresholds)
from posecheck.core.template import Template, TemplateError
from posecheck.io.detection_cache import DetectionCache
from posecheck.io.templates import save_exercise, shipped_exercise_names, shown_path, user_exercises_dir
from posecheck.pipeline.learning import BackgroundLearning
from posecheck.presentation.charts import demonstration_chart
from posecheck.presentation.overlay import pose_pictures
from posecheck.ui.sample_videos import SAMPLES, describe as describe_sample

INTRO = """Teach posecheck a new exercise from **one demonstration video**: someone doing it correctly,
**two or more repetitions, or one held position**, starting in the starting position, the whole body
in the frame (side-on if you can). posecheck finds the movement, the reps and the holds, and writes
an exercise you can check, adjust and save. The video stays on this computer."""
KINDS = {"one-way": "a movement out from the start position and back",
         "two-way": "a movement between two positions, either side of the start",
         "hold": "a held position"}
IDENTITY_WORDS = ("**What tells this exercise apart from its look-alikes cannot be learned from one clip**: a "
                  "demonstration shows what the exercise is, not what it is not, so any movement as large as this "
                  "one, from the same starting position, will be counted. Where an existing exercise's rules for "
                  "this apply, you can add them here.")
VIDEO_TYPES = ["mp4", "mov", "m4v", "webm", "avi", "mkv", "gif"]


def teach_page(templates: dict[str, Template], on_saved: Callable[[], None]) -> None:
    """`templates`: the exercises available (for their identity rules); `on_saved`: called once an
    exercise is saved (clears the app's list of exercises, so that it shows the new one)."""
    st.title("Teach an exercise")
    st.markdown(INTRO)
    if (saved := st.session_state.get("teach_saved")) is not None:
        st.success(saved)
    choose_demonstration()
    job: BackgroundLearning | None = st.session_state.get("teach_job")
    if job is None:
        return
    if job.running:
        learning_progress(job)
    elif job.error:
        st.error(job.error)
    elif job.learned is not None:
        for warning in job.warnings:
            st.caption(warning)
        show_found(job.learned)
        save_section(job, templates, on_saved)


def choose_demonstration() -> None:
    source = st.radio("Demonstration", ["A sample video", "Upload a video"], horizontal=True, key="teach_source")
    path: Path | None = None
    uploaded = None
    if source == "A sample video":
        samples = sorted(SAMPLES.glob("*.mp4"))
        path = st.selectbox("Sample video", samples, format_func=sample_name, key="teach_sample")
    else:
        uploaded = st.file_uploader("Video file (MP4, MOV, WebM, AVI, GIF)", type=VIDEO_TYPES, key="teach_upload")
    if st.button("Learn from this video", type="primary", disabled=path is None and uploaded is None):
        file_name = uploaded.name if uploaded is not None else path.name
        name = suggested_name(file_name)
        st.session_state.pop("teach_saved", None)
        st.session_state.teach_count = st.session_state.get("teach_count", 0) + 1
        if uploaded is not None:
            job = BackgroundLearning(name, data=bytes(uploaded.getbuffer()), file_name=file_name,
                                     cache=DetectionCache.from_environment())
        else:
            job = BackgroundLearning(name, path=path, file_name=file_name, cache=DetectionCache.from_environment())
        st.session_state.teach_job = job


def sample_name(path: Path) -> str:
    exercise = path.stem.split("__", 1)[0].capitalize()
    return f"{exercise}: {describe_sample(path)}"


def suggested_name(file_name: str) -> str:
    """The clip's name as an exercise name, with 'my-' before it when a shipped exercise has it."""
    name = name_from(Path(file_name).stem.split("__", 1)[0]) or "my-exercise"
    if name_problem(name) or name in shipped_exercise_names():
        name = name_from(f"my {name}") or "my-exercise"
    return name


@st.fragment(run_every=1.0)
def learning_progress(job: BackgroundLearning) -> None:
    """Only this bar reruns while the clip is read; the whole page once it is done."""
    if job.running:
        doing = "Finding the person in" if job.progress < 0.95 else "Learning from"
        st.progress(job.progress, text=f"{doing} {job.file_name}… {job.progress:.0%}")
    else:
        st.rerun()


def show_found(learned: LearnedExercise) -> None:
    template = learned.template()
    count = expected_count(learned)
    st.subheader("What the demonstration shows")
    st.success(f"Found {count} rep{'s' if count != 1 else ''} of {KINDS[learned.kind]}, in "
               f"{learned.times[-1] - learned.times[0]:.0f} s of video. How sure: **{learned.confidence_words}**.")
    unit = "degrees" if learned.key.angular else "torso lengths"
    named = "the positions it reaches" if learned.kind == "two-way" else "the reps"
    st.markdown(f"**{learned.key.label.capitalize()} over the demonstration**: shaded bands are {named} (named "
                "at the furthest point); dashed red lines enter each position.")
    st.altair_chart(demonstration_chart(learned.times, learned.key_values, learned.reps, learned.key.label, unit,
                                        target_thresholds(template)), use_container_width=True)
    poses = [("Start position", learned.start_pose)]
    labels = {phase.name: phase.label for phase in template.phases}
    poses += [(labels.get(name, name), pose) for name, pose in learned.target_poses.items()]
    cards = pose_pictures([pose for _, pose in poses])
    for column, (caption, _), card in zip(st.columns(max(3, len(cards))), poses, cards):
        column.image(card, caption=caption, width="stretch")
    st.markdown("**What was found**")
    st.markdown("\n".join(f"- {line}" for line in learned.findings))
    st.caption(f"How sure: {learned.confidence_words} ({learned.confidence:.2f} of 1), from how clearly the key signal "
               "moves against the landmarks' jitter, how alike the reps are, how far ahead of the next signal it is, "
               f"and whether the exercise counts its own demonstration ({learned.self_check} of {count}).")


def save_section(job: BackgroundLearning, templates: dict[str, Template], on_saved: Callable[[], None]) -> None:
    learned = job.learned
    template = learned.template()
    key = f"teach-{st.session_state.get('teach_count', 0)}"
    st.subheader("Save it as an exercise")
    left, right = st.columns(2)
    title = left.text_input("Title (as the exercise list shows it)", learned.name.replace("-", " ").capitalize(),
                            key=f"{key}-title")
    name = right.text_input("Name (its file name: lower-case words joined by '-')", learned.name, key=f"{key}-name")
    thresholds = {}
    columns = st.columns(len(template.counting.phases) + 1)
    digits = 1 if learned.key.angular else 3
    for column, phase in zip(columns, template.counting.phases):
        condition = key_condition(template, phase)
        level = template.range.full.get(phase) if template.range else None
        rest = template.range.rest if template.range else None
        thresholds[phase] = column.number_input(
            f"{template.phase(phase).label}: entered {condition.direction}", value=float(condition.threshold),
            step=1.0 if learned.key.angular else 0.01, format=f"%.{digits}f", key=f"{key}-threshold-{phase}",
            help=(f"The {learned.key.label} that enters this position. Each person is counted at half of their own "
                  f"reach, never asked for more than this. In the demonstration: {rest:.{digits}f} at the start, "
                  f"{level:.{digits}f} at the furthest." if level is not None else None))
    hold = columns[-1].number_input("Hold target (seconds; 0: not held)", min_value=0.0, max_value=300.0,
                                    value=hold_seconds(template), step=1.0, format="%.0f", key=f"{key}-hold")
    st.info(IDENTITY_WORDS)
    with_rules = {n: t for n, t in templates.items() if t.identity and n != learned.name}
    chosen = st.multiselect("Add the identity rules of", list(with_rules), format_func=lambda n: with_rules[n].title,
                            key=f"{key}-identity")
    borrowed = borrow_all(learned.toml, [with_rules[n] for n in chosen])
    for borrowing in borrowed:
        lines = [f"- Added: {text}" for text in borrowing.described] + [f"- Not added: {text}" for text in borrowing.skipped]
        st.markdown(f"**{borrowing.title}**\n" + "\n".join(lines))
    keep = st.checkbox("Keep this clip as the exercise's demonstration (stored on this computer only)", value=True,
                       key=f"{key}-keep")
    replace = st.checkbox("Replace my own exercise of this name, if I have one", value=False, key=f"{key}-replace")
    st.caption(f"Your exercises are kept in {shown_path(user_exercises_dir())}.")
    if st.button("Save the exercise", type="primary", key=f"{key}-save"):
        if problem := name_problem(name):
            st.error(problem)
            return
        try:
            text = adjusted(learned.toml, name=name, title=title, thresholds=thresholds, hold=hold, borrowed=borrowed)
            path = save_exercise(text, replace=replace, clip=job.clip if keep else None, clip_suffix=job.clip_suffix,
                                 source=f"{name}.toml")
        except (AdjustError, TemplateError) as exc:
            st.error(str(exc))
            return
        except OSError as exc:
            st.error(f"The exercise could not be saved in {shown_path(user_exercises_dir())}: {exc.strerror or exc}.")
            return
        on_saved()
        clip = " with its demonstration clip" if keep else " (the clip was not kept)"
        st.session_state.teach_saved = (f"Saved “{title.strip()}” to {shown_path(path)}{clip}. It is in the "
                                        "Exercises page's list now: choose it there to coach it live.")
        st.session_state.pop("teach_job", None)
        st.rerun()
