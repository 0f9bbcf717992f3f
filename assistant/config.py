"""``[tool.migrate-assistant]`` in the target repository's ``pyproject.toml``.

Every value is optional: what is missing is detected (see ``project.py``).
"""

from __future__ import annotations

import keyword
import re
import shlex
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AssistantError

_DOTTED = (
    "checked-migration",
    "safe-remove-field",
    "safe-delete-model",
    "deletion-action",
    "safe-run-sql",
    "chunked-iterator",
    "test-migrations",
)
_PATHS = ("lockfile", "router", "migration-tests")
_STRINGS = ("django-command", "main-branch", "settings")
_LISTS = ("exclude", "large-tables", "python-path")
_INTS = ("line-length",)
# What production runs (lifecycle of pending deletions): a git ref or tag pattern, a database URL.
_DEPLOYMENT = ("deployed-ref", "database-url")
_DEPLOYMENT_INTS = ("phase-2-after-days",)
_BRANCH = re.compile(r"(?!-)(?!.*\.\.)[\w./-]+")
CONVENTIONS = ("sentry", "safemigrate", "plain")
KNOWN_KEYS = _DOTTED + _PATHS + _STRINGS + _LISTS + _INTS + _DEPLOYMENT + _DEPLOYMENT_INTS + ("convention",)


@dataclass(frozen=True)
class Config:
    """Settings read from the repository; ``None`` means "detect it"."""

    imports: dict[str, str] = field(default_factory=dict)
    lockfile: str | None = None
    router: str | None = None
    migration_tests: str | None = None
    django_command: tuple[str, ...] | None = None
    main_branch: str | None = None
    settings: str | None = None  # the Django settings module, read statically for swappable models
    exclude: tuple[str, ...] = ()
    large_tables: tuple[str, ...] = ()
    python_path: tuple[str, ...] = ()  # where installed packages are read from (e.g. the project's site-packages)
    line_length: int | None = None
    black_line_length: int | None = None
    deployed_ref: str | None = None
    database_url: str | None = None
    phase_2_after_days: int = 14
    convention: str | None = None


def load_config(root: Path) -> Config:
    """Read the tool table (and black's/ruff's line length) from ``root/pyproject.toml``."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: not valid TOML ({exc})") from None
    except OSError as exc:
        raise AssistantError(f"{path}: cannot read ({exc.strerror})") from None
    tool = _table(path, data, "tool")
    table = _table(path, tool, "migrate-assistant", "tool.")
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise AssistantError(
            f"{path}: unknown key(s) in [tool.migrate-assistant]: {', '.join(unknown)} (known: {', '.join(KNOWN_KEYS)})"
        )
    for key in _DOTTED + _PATHS + _STRINGS + _DEPLOYMENT:
        if key in table and not (isinstance(table[key], str) and table[key].strip()):
            raise AssistantError(f"{path}: [tool.migrate-assistant] {key} must be a non-empty string")
    for key in _LISTS:
        value = table.get(key, [])
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise AssistantError(f"{path}: [tool.migrate-assistant] {key} must be a list of strings")
    for key in _DOTTED:
        if key in table and not _is_dotted_name(table[key]):
            raise AssistantError(
                f"{path}: [tool.migrate-assistant] {key} must be a dotted import path like 'pkg.module.Name' "
                f"(Python identifiers separated by dots), not {table[key]!r}"
            )
    for key in _PATHS:
        if key in table:
            _check_inside(path, root, key, table[key])
    if "main-branch" in table and not _BRANCH.fullmatch(table["main-branch"]):
        raise AssistantError(
            f"{path}: [tool.migrate-assistant] main-branch is not a branch name: {table['main-branch']!r}"
        )
    if "line-length" in table and not (isinstance(table["line-length"], int) and table["line-length"] > 20):
        raise AssistantError(f"{path}: [tool.migrate-assistant] line-length must be an integer above 20")
    days = table.get("phase-2-after-days", 14)
    if not (isinstance(days, int) and not isinstance(days, bool) and days >= 0):
        raise AssistantError(f"{path}: [tool.migrate-assistant] phase-2-after-days must be a whole number of days")
    if "convention" in table and table["convention"] not in CONVENTIONS:
        raise AssistantError(f"{path}: [tool.migrate-assistant] convention must be one of {', '.join(CONVENTIONS)}")
    command = table.get("django-command")
    try:
        django_command = tuple(shlex.split(command)) if command else None
    except ValueError as exc:
        raise AssistantError(f"{path}: [tool.migrate-assistant] django-command cannot be split ({exc})") from None
    return Config(
        imports={key: table[key] for key in _DOTTED if key in table},
        lockfile=table.get("lockfile"),
        router=table.get("router"),
        migration_tests=table.get("migration-tests"),
        django_command=django_command,
        main_branch=table.get("main-branch"),
        settings=table.get("settings"),
        exclude=tuple(table.get("exclude", [])),
        large_tables=tuple(table.get("large-tables", [])),
        python_path=tuple(table.get("python-path", [])),
        line_length=table.get("line-length"),
        black_line_length=_formatter_line_length(path, tool),
        deployed_ref=table.get("deployed-ref"),
        database_url=table.get("database-url"),
        phase_2_after_days=days,
        convention=table.get("convention"),
    )


def _table(path: Path, parent: dict, key: str, prefix: str = "") -> dict:
    value = parent.get(key, {})
    if not isinstance(value, dict):
        raise AssistantError(f"{path}: [{prefix}{key}] must be a table, not {type(value).__name__}")
    return value


def _is_dotted_name(value: str) -> bool:
    parts = value.split(".")
    return len(parts) > 1 and all(part.isidentifier() and not keyword.iskeyword(part) for part in parts)


def _check_inside(path: Path, root: Path, key: str, value: str) -> None:
    """A path setting the tool reads project files from or writes to must stay inside the repository."""
    if "\0" in value or not (root / value).resolve().is_relative_to(root.resolve()):
        raise AssistantError(
            f"{path}: [tool.migrate-assistant] {key} must be a path inside the repository, not {value!r}"
        )


def _formatter_line_length(path: Path, tool: dict) -> int | None:
    for name in ("black", "ruff"):
        value = _table(path, tool, name, "tool.").get("line-length")
        if isinstance(value, int):
            return value
    return None
