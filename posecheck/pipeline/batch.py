"""Analyse many videos (a clinic's archive) on all the machine's cores: one worker thread per
core, each with its own pose landmarker (MediaPipe and PyAV release the GIL while they work, and
threads share one process's memory); results come back in the order they finish."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

from posecheck.pipeline.analysis import AnalysisResult
from posecheck.core.template import Template
from posecheck.io.names import fit_name
from posecheck.io.video import VideoError, probe

VIDEO_SUFFIXES = {".mp4", ".mov", ".m4v", ".avi", ".mkv", ".webm", ".gif", ".mpg", ".mpeg", ".wmv"}


@dataclass
class BatchItem:
    path: Path
    result: AnalysisResult | None = None
    error: str = ""  # one sentence, when the file could not be analysed


def video_files(paths: list[str | Path]) -> list[Path]:
    """The given files, and the videos inside given folders (recursively, sorted by name)."""
    files: list[Path] = []
    for given in map(Path, paths):
        if given.is_dir():
            found = sorted(p for p in given.rglob("*") if p.is_file() and p.suffix.lower() in VIDEO_SUFFIXES)
            if not found:
                raise VideoError(f"No video files in the folder {given}")
            files += found
        else:
            files.append(given)
    return list(dict.fromkeys(files))


def output_names(files: list[Path]) -> dict[Path, str]:
    """For each video, a name for its result files (no suffix): its own, cut to fit a file
    system's limit, and made unique where two folders hold videos of the same name."""
    names: dict[Path, str] = {}
    taken: set[str] = set()
    for path in files:
        base = fit_name(path.stem) or "video"
        name, number = base, 2
        while name.casefold() in taken:
            name, number = f"{base}-{number}", number + 1
        taken.add(name.casefold())
        names[path] = name
    return names


def analyze_many(files: list[Path], template: Template, model: str | None = None, workers: int = 1,
                 on_progress: Callable[[float], None] | None = None) -> Iterator[BatchItem]:
    """Yield one BatchItem per file as each finishes. `on_progress` gets the fraction of the
    files' total duration analysed so far (files without a known duration count as one second)."""
    weights = {path: _duration(path) for path in files}
    total, done = sum(weights.values()) or 1.0, 0.0
    pool = ThreadPoolExecutor(max_workers=max(1, min(workers, len(files))), thread_name_prefix="posecheck-batch")
    try:
        for future in as_completed([pool.submit(analyze_file, path, template, model) for path in files]):
            item = future.result()
            done += weights[item.path]
            if on_progress:
                on_progress(done / total)
            yield item
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _duration(path: Path) -> float:
    try:
        return probe(path).duration or 1.0
    except VideoError:
        return 1.0


def analyze_file(path: Path, template: Template, model=None) -> BatchItem:
    """One file, with its own landmarker (timestamps start again at 0 for each video); a file
    that cannot be analysed gives its reason instead of an exception."""
    from posecheck.pipeline.analysis import analyze_video
    from posecheck.pipeline.estimator import MediaPipePose

    item = BatchItem(Path(path))
    try:
        with MediaPipePose(model=model, outline=template.reads_outline) as estimator:
            item.result = analyze_video(path, template, estimator)
    except VideoError as exc:
        item.error = str(exc)
    except Exception as exc:  # noqa: BLE001 - one unexpected failure must not stop a whole archive
        item.error = f"{item.path.name} could not be analysed ({type(exc).__name__}: {exc})"
    return item
