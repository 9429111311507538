"""Analyse an archive bigger than one machine on a Ray cluster (the optional `ray` extra).

`posecheck analyze FOLDER --ray [ADDRESS]` hands each video to a Ray task instead of a local
thread. Each task gets everything it needs by value (the video's bytes, the loaded template, the
model by name or as bytes), so the cluster's machines need posecheck installed but no shared
folder; results come back to this machine, which writes the files and the history as for a local
batch. Without an address Ray starts (or joins) a local instance.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from posecheck.pipeline.batch import BatchItem, analyze_file
from posecheck.core.template import Template
from posecheck.io.model import MODEL_NAMES, PoseModel, resolve_model

RAY_MISSING = ("--ray needs the optional Ray extra: pip install 'posecheck[ray]' (or ray itself) "
               "on this machine and on the cluster's.")


def analyze_on_ray(files: list[Path], template: Template, model: str | PoseModel | None = None,
                   address: str | None = None,
                   on_progress: Callable[[float], None] | None = None) -> Iterator[BatchItem]:
    """Yield one BatchItem per file as each finishes on the cluster (one CPU per task)."""
    try:
        import ray
    except ImportError as exc:
        raise RuntimeError(RAY_MISSING) from exc
    model = _portable(resolve_model(model))
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(address=address, include_dashboard=False, log_to_driver=False, configure_logging=False)
    task = ray.remote(num_cpus=1, max_retries=1)(_analyze_bytes)
    pending = {task.remote(path.read_bytes(), path.name, template, model): path for path in files}
    try:
        while pending:
            done, _ = ray.wait(list(pending), num_returns=1)
            path = pending.pop(done[0])
            item = _result_of(ray, done[0], path)
            if on_progress:
                on_progress((len(files) - len(pending)) / len(files))
            yield item
    finally:
        for ref in pending:
            ray.cancel(ref)
        if started_here:
            ray.shutdown()


def _portable(model: PoseModel) -> str | PoseModel:
    """A model the cluster's machines can load: a name they resolve from their own installation,
    or the bytes of the user's own (verified) file, which exists only here."""
    if model.name in MODEL_NAMES:
        return model.name
    return model if model.data is not None else PoseModel(name=model.name, data=model.path.read_bytes())


def _result_of(ray, ref, path: Path) -> BatchItem:
    try:
        item = ray.get(ref)
    except Exception as exc:  # noqa: BLE001 - a lost task or machine must not stop the archive
        return BatchItem(path, error=f"{path.name} could not be analysed on the cluster ({type(exc).__name__})")
    item.path = path
    return item


def _analyze_bytes(data: bytes, name: str, template: Template, model: str | PoseModel) -> BatchItem:
    """On a cluster machine: the video into a temporary folder, analysed, the folder deleted."""
    import tempfile

    from posecheck.io.names import fit_file_name

    with tempfile.TemporaryDirectory(prefix="posecheck-") as work:
        video = Path(work) / fit_file_name(name)
        video.write_bytes(data)
        item = analyze_file(video, template, model)
        if item.result is not None:
            item.result.source = name
        return item
