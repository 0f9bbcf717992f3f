"""``[tool.migrate-assistant]`` in the target repository's ``pyproject.toml``.

Every value is optional: what is missing is detected (see ``project.py``).
"""

from __future__ import annotations

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
_STRINGS = ("django-command", "main-branch")
_LISTS = ("exclude", "large-tables", "python-path")
_INTS = ("line-length",)
KNOWN_KEYS = _DOTTED + _PATHS + _STRINGS + _LISTS + _INTS


@dataclass(frozen=True)
class Config:
    """Settings read from the repository; ``None`` means "detect it"."""

    imports: dict[str, str] = field(default_factory=dict)
    lockfile: str | None = None
    router: str | None = None
    migration_tests: str | None = None
    django_command: tuple[str, ...] | None = None
    main_branch: str | None = None
    exclude: tuple[str, ...] = ()
    large_tables: tuple[str, ...] = ()
    python_path: tuple[str, ...] = ()  # where installed packages are read from (e.g. the project's site-packages)
    line_length: int | None = None
    black_line_length: int | None = None


def load_config(root: Path) -> Config:
    """Read the tool table (and black's/ruff's line length) from ``root/pyproject.toml``."""
    path = root / "pyproject.toml"
    if not path.is_file():
        return Config()
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise AssistantError(f"{path}: not valid TOML ({exc})") from None
    tool = data.get("tool", {})
    table = tool.get("migrate-assistant", {})
    unknown = sorted(set(table) - set(KNOWN_KEYS))
    if unknown:
        raise AssistantError(
            f"{path}: unknown key(s) in [tool.migrate-assistant]: {', '.join(unknown)} (known: {', '.join(KNOWN_KEYS)})"
        )
    for key in _DOTTED + _PATHS + _STRINGS:
        if key in table and not (isinstance(table[key], str) and table[key].strip()):
            raise AssistantError(f"{path}: [tool.migrate-assistant] {key} must be a non-empty string")
    for key in _LISTS:
        value = table.get(key, [])
        if not (isinstance(value, list) and all(isinstance(item, str) for item in value)):
            raise AssistantError(f"{path}: [tool.migrate-assistant] {key} must be a list of strings")
    for key in _DOTTED:
        if key in table and "." not in table[key]:
            raise AssistantError(
                f"{path}: [tool.migrate-assistant] {key} must be a dotted import path like 'pkg.module.Name'"
            )
    if "line-length" in table and not (isinstance(table["line-length"], int) and table["line-length"] > 20):
        raise AssistantError(f"{path}: [tool.migrate-assistant] line-length must be an integer above 20")
    command = table.get("django-command")
    return Config(
        imports={key: table[key] for key in _DOTTED if key in table},
        lockfile=table.get("lockfile"),
        router=table.get("router"),
        migration_tests=table.get("migration-tests"),
        django_command=tuple(shlex.split(command)) if command else None,
        main_branch=table.get("main-branch"),
        exclude=tuple(table.get("exclude", [])),
        large_tables=tuple(table.get("large-tables", [])),
        python_path=tuple(table.get("python-path", [])),
        line_length=table.get("line-length"),
        black_line_length=_formatter_line_length(tool),
    )


def _formatter_line_length(tool: dict) -> int | None:
    for name in ("black", "ruff"):
        value = tool.get(name, {}).get("line-length")
        if isinstance(value, int):
            return value
    return None
