"""Load exercise templates from the `exercises/` folder (or any folder of .toml files)."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from posecheck.core.template import Template, TemplateError, parse_template

EXERCISES_ENV = "POSECHECK_EXERCISES"


def exercises_dir() -> Path:
    """$POSECHECK_EXERCISES, else the `exercises/` folder shipped beside the package."""
    given = os.environ.get(EXERCISES_ENV)
    if given:
        return Path(given)
    packaged = Path(__file__).resolve().parent.parent / "exercises"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "exercises"


def load_template_file(path: str | Path) -> Template:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise TemplateError(str(path), "(file)", f"cannot be read: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise TemplateError(str(path), "(file)", "is not UTF-8 text") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TemplateError(str(path), "(syntax)", f"is not valid TOML: {exc}") from exc
    template = parse_template(data, source=str(path))
    if template.name != path.stem:
        raise TemplateError(str(path), "name", f"is {template.name!r} but the file is named {path.name!r}")
    return template


def load_all(folder: str | Path | None = None) -> dict[str, Template]:
    folder = Path(folder) if folder else exercises_dir()
    return {t.name: t for t in map(load_template_file, sorted(folder.glob("*.toml")))}


def load_template(name_or_path: str, folder: str | Path | None = None) -> Template:
    """A template by exercise name (`bird-dog`) or by path to a .toml file."""
    if name_or_path.endswith(".toml") or os.sep in name_or_path:
        return load_template_file(name_or_path)
    folder = Path(folder) if folder else exercises_dir()
    path = folder / f"{name_or_path}.toml"
    if not path.exists():
        names = ", ".join(sorted(p.stem for p in folder.glob("*.toml")))
        raise TemplateError(str(path), "(file)", f"no exercise named {name_or_path!r}; known: {names}")
    return load_template_file(path)
