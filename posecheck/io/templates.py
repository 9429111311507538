"""Load exercise templates from the `exercises/` folder (or any folder of .toml files), and the
user's own exercises (taught on the Teach page from a demonstration), kept in a folder of their
own so that saving one never touches a shipped exercise.

Only the folder's own *.toml files are templates: exercises/motion/ holds the synthetic
renderer's motion data, and exercises/shared/common.toml the definitions the templates share. The reading here (size limit, UTF-8, TOML, file name = `name`) is shared
with routines (posecheck/io/routines.py).

Where the user's exercises live: `$POSECHECK_USER_EXERCISES`, else an `exercises/` folder beside
the history database (`~/.local/share/posecheck/exercises/` by default), with each exercise's
demonstration clip beside its file (`<name>.mp4`) when the user chose to keep it.
"""

from __future__ import annotations

import codecs
import os
import tempfile
import tomllib
from pathlib import Path

from posecheck.core.reader import DataError, describe
from posecheck.core.template import Template, TemplateError
from posecheck.core.shared_definitions import SHARED_FILE, SharedDefinitions
from posecheck.core.template_parser import parse_shared, parse_template

EXERCISES_ENV = "POSECHECK_EXERCISES"
USER_EXERCISES_ENV = "POSECHECK_USER_EXERCISES"
CLIP_SUFFIXES = (".mp4", ".webm", ".mov", ".m4v", ".mkv", ".avi", ".gif")  # a demonstration clip beside its file
# The shipped templates are 4-8 kB; a file this large is not one, and is refused before parsing.
MAX_FILE_BYTES = 1_000_000


def exercises_dir() -> Path:
    """$POSECHECK_EXERCISES, else the `exercises/` folder shipped beside the package."""
    return data_dir(EXERCISES_ENV, "exercises")


def user_exercises_dir(database: str | Path | None = None) -> Path:
    """$POSECHECK_USER_EXERCISES, else `exercises/` beside the history database."""
    given = os.environ.get(USER_EXERCISES_ENV)
    if given:
        return Path(given).expanduser()
    from posecheck.io.store import default_path

    return Path(database or default_path()).expanduser().parent / "exercises"


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


def load_available(folder: str | Path | None = None, user_folder: str | Path | None = None
                   ) -> tuple[dict[str, Template], dict[str, str]]:
    """The templates that load, and for each broken file its name -> the problem (one sentence),
    so that a broken exercise can be shown as unavailable while the others work. Without a
    `folder`: the shipped ones ($POSECHECK_EXERCISES), then the user's own (`user_folder`, else
    user_exercises_dir(), if it exists); a user's file named as a shipped exercise is a problem
    (under "your <name>"), never loaded over it."""
    templates, problems = _load_folder(template_files(folder))
    if folder is None:
        user_folder = Path(user_folder or user_exercises_dir())
        mine, my_problems = _load_folder(template_files(user_folder) if user_folder.is_dir() else [])
        for name in (mine.keys() | my_problems.keys()) & templates.keys():
            # keyed apart from the shipped exercise, which stays available
            problems[f"your {name}"] = str(shipped_name_error(name, shown_path(user_folder / f"{name}.toml")))
            mine.pop(name, None)
            my_problems.pop(name, None)
        templates |= mine
        problems |= my_problems
    return templates, problems


def _load_folder(paths: list[Path]) -> tuple[dict[str, Template], dict[str, str]]:
    templates, problems = {}, {}
    for path in paths:
        try:
            templates[path.stem] = load_template_file(path)
        except TemplateError as exc:
            problems[path.stem] = str(exc)
    return templates, problems


def shipped_name_error(name: str, source: str) -> TemplateError:
    return TemplateError(source, "name", f"is the name of a shipped exercise ({name!r}): give your exercise "
                         "another name")


def shipped_exercise_names() -> set[str]:
    """The names of the shipped exercises ($POSECHECK_EXERCISES): a user's exercise never takes one."""
    return {path.stem for path in template_files()}


def save_exercise(text: str | bytes, folder: str | Path | None = None, replace: bool = False,
                  clip: bytes | Path | None = None, clip_suffix: str = ".mp4", source: str = "the exercise") -> Path:
    """Check a template's text (the same errors as a template file; no shared definitions) and save
    it in the user's folder as `<name>.toml`, written whole or not at all; then `clip`, the
    demonstration (bytes, or a file to copy), beside it as `<name><clip_suffix>`. Refused with a
    TemplateError: a name of a shipped exercise, and (unless `replace`) the name of one of the
    user's own. Replacing one removes its old clip: a clip is kept only when given again."""
    raw = text.encode() if isinstance(text, str) else text
    template = parse_template(toml_table(raw, source), source=source)
    if template.name in shipped_exercise_names():
        raise shipped_name_error(template.name, source)
    suffix = clip_suffix.lower() if clip_suffix.lower() in CLIP_SUFFIXES else ".mp4"
    folder = Path(folder or user_exercises_dir())
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{template.name}.toml"
    write_atomically(raw, path, replace, taken=lambda: TemplateError(
        source, "name", f"is taken: you already have an exercise named {template.name!r} (choose another name, "
        "or replace it)"))
    for old in demonstration_clips(template.name, folder):
        old.unlink(missing_ok=True)
    if clip is not None:
        data = clip.read_bytes() if isinstance(clip, Path) else clip
        write_atomically(data, folder / f"{template.name}{suffix}", replace=True)
    return path


def demonstration_clips(name: str, folder: str | Path | None = None) -> list[Path]:
    folder = Path(folder or user_exercises_dir())
    return [folder / f"{name}{suffix}" for suffix in CLIP_SUFFIXES if (folder / f"{name}{suffix}").is_file()]


def demonstration_clip(name: str, folder: str | Path | None = None) -> Path | None:
    """The demonstration clip kept beside the user's exercise `name`, or None."""
    clips = demonstration_clips(name, folder)
    return clips[0] if clips else None


def write_atomically(raw: bytes, path: Path, replace: bool, taken=None) -> None:
    """Write to a temporary file beside `path`, then put it in place in one step: a crash leaves
    the old file or the new one, never half of one. Without `replace`, an existing file stays
    and `taken()` (an exception) is raised."""
    with tempfile.NamedTemporaryFile("wb", dir=path.parent, prefix=f".{path.stem}-", suffix=".tmp",
                                     delete=False) as file:
        file.write(raw)
    temporary = Path(file.name)
    try:
        if replace:
            os.replace(temporary, path)
        else:
            os.link(temporary, path)  # fails if the name is taken: never overwrites
    except FileExistsError:
        raise taken() from None
    finally:
        temporary.unlink(missing_ok=True)


def load_template(name_or_path: str, folder: str | Path | None = None) -> Template:
    """A template by exercise name (`bird-dog`) or by path to a .toml file."""
    if name_or_path.endswith(".toml") or os.sep in name_or_path or "/" in name_or_path:
        return load_template_file(name_or_path)
    files = template_files(folder)
    if folder is None and user_exercises_dir().is_dir():
        shipped = {p.stem for p in files}
        files += [p for p in template_files(user_exercises_dir()) if p.stem not in shipped]
    path = next((p for p in files if p.stem == name_or_path), None)
    if path is None:
        known = ", ".join(p.stem for p in files) or "none"
        raise TemplateError("", "", f"There is no exercise named {name_or_path!r}. Known exercises: {known}.")
    return load_template_file(path)
