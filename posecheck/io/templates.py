"""Load exercise templates from the `exercises/` folder (or any folder of .toml files).

Only the folder's own *.toml files are templates: exercises/motion/ holds the synthetic
renderer's motion data, and exercises/shared/common.toml the definitions the templates share. The reading here (size limit, UTF-8, TOML, file name = `name`) is shared
with routines (posecheck/io/routines.py).
"""

from __future__ import annotations

import codecs
import os
import tomllib
from pathlib import Path

from posecheck.core.reader import DataError, describe
from posecheck.core.template import Template, TemplateError
from posecheck.core.shared_definitions import SHARED_FILE, SharedDefinitions
from posecheck.core.template_parser import parse_shared, parse_template

EXERCISES_ENV = "POSECHECK_EXERCISES"
# The shipped templates are 4-8 kB; a file this large is not one, and is refused before parsing.
MAX_FILE_BYTES = 1_000_000


def exercises_dir() -> Path:
    """$POSECHECK_EXERCISES, else the `exercises/` folder shipped beside the package."""
    return data_dir(EXERCISES_ENV, "exercises")


def data_dir(env: str, folder: str) -> Path:
    """$`env`, else `folder` inside the installed package, else `folder` in the source tree."""
    given = os.environ.get(env)
    if given:
        return Path(given)
    packaged = Path(__file__).resolve().parent.parent / folder
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / folder


def shown_path(path: Path) -> str:
    """The path as messages show it: relative to the working folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except (ValueError, OSError):
        return str(path)


def read_toml(path: Path, error: type[DataError] = TemplateError) -> dict:
    """The file's TOML table. A file that cannot be read, is too large, is not UTF-8, is not TOML
    or is empty raises `error` with one sentence naming the file."""
    source = shown_path(path)
    return toml_table(_read_bytes(path, source, error), source, error)


def toml_table(raw: bytes, source: str, error: type[DataError] = TemplateError) -> dict:
    """The TOML table in `raw` (a file's bytes, or an upload's), refused as read_toml says."""
    if len(raw) > MAX_FILE_BYTES:
        raise error(source, "", f"is larger than {MAX_FILE_BYTES // 1_000_000} MB, far too large for "
                    f"{error.noun}")
    raw = raw.removeprefix(codecs.BOM_UTF8)  # the byte-order mark some editors write
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise error(source, "", f"is not UTF-8 text (byte 0x{raw[exc.start]:02x} at position "
                    f"{exc.start} is not valid UTF-8)") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        reason = str(exc)
        raise error(source, "", f"is not valid TOML: {reason[:1].lower()}{reason[1:]}") from None
    except ValueError:  # Python refuses to read integers of more than 4300 digits
        raise error(source, "", "is not valid TOML: it holds a number with far too many digits") from None
    except RecursionError:
        raise error(source, "", "is not valid TOML: its lists or tables are nested far too deeply") from None
    if not data:
        raise error(source, "", "is empty")
    return data


def _read_bytes(path: Path, source: str, error: type[DataError]) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(MAX_FILE_BYTES + 1)  # never more: the size check needs no more
    except FileNotFoundError:
        raise error(source, "", "does not exist") from None
    except IsADirectoryError:
        raise error(source, "", "is a folder, not a file") from None
    except OSError as exc:
        raise error(source, "", f"cannot be read ({exc.strerror or exc})") from None


def check_file_name(name: str, path: Path, error: type[DataError] = TemplateError) -> None:
    """A file's `name` must be its file name: names are looked up by file."""
    if name != path.stem:
        raise error(shown_path(path), "name", f"must match the file name ({path.stem!r}), got {describe(name)}")


def load_shared(folder: Path) -> SharedDefinitions | None:
    """The shared definitions of a folder of templates, None when it has none."""
    path = folder / SHARED_FILE
    if not path.exists():
        return None
    return parse_shared(read_toml(path), source=shown_path(path))


def load_template_file(path: str | Path) -> Template:
    """A template file, with the shared definitions of its folder."""
    path = Path(path)
    template = parse_template(read_toml(path), source=shown_path(path), shared=load_shared(path.parent))
    check_file_name(template.name, path)
    return template


def data_files(folder: Path, error: type[DataError], what: str) -> list[Path]:
    """The folder's *.toml files (not its subfolders'), sorted by name."""
    if not folder.is_dir():
        raise error("", "", f"There is no {what} folder at {str(folder)!r}.")
    return sorted(folder.glob("*.toml"))


def template_files(folder: str | Path | None = None) -> list[Path]:
    return data_files(Path(folder) if folder else exercises_dir(), TemplateError, "exercises")


def load_all(folder: str | Path | None = None) -> dict[str, Template]:
    """Every template in the folder; raises TemplateError on the first broken one."""
    return {t.name: t for t in map(load_template_file, template_files(folder))}


def load_available(folder: str | Path | None = None) -> tuple[dict[str, Template], dict[str, str]]:
    """The templates that load, and for each broken file its name -> the problem (one sentence),
    so that a broken exercise can be shown as unavailable while the others work."""
    templates, problems = {}, {}
    for path in template_files(folder):
        try:
            templates[path.stem] = load_template_file(path)
        except TemplateError as exc:
            problems[path.stem] = str(exc)
    return templates, problems


def load_template(name_or_path: str, folder: str | Path | None = None) -> Template:
    """A template by exercise name (`bird-dog`) or by path to a .toml file."""
    if name_or_path.endswith(".toml") or os.sep in name_or_path or "/" in name_or_path:
        return load_template_file(name_or_path)
    files = template_files(folder)
    path = next((p for p in files if p.stem == name_or_path), None)
    if path is None:
        known = ", ".join(p.stem for p in files) or "none"
        raise TemplateError("", "", f"There is no exercise named {name_or_path!r}. Known exercises: {known}.")
    return load_template_file(path)
