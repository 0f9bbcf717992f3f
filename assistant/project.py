"""Find the repository, its Django apps and the files Sentry's machinery uses.

Discovery is one walk of the tree with ``os.scandir``; nothing is imported.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from .config import Config, load_config
from .errors import AssistantError, UsageError
from .reads import forget as forget_reads

SKIPPED_DIRS = frozenset(
    {"node_modules", "__pycache__", "site-packages", "dist-packages", "build", "dist", "tests", "fixtures"}
)
SENTRY_IMPORTS = {
    "checked-migration": "sentry.new_migrations.migrations.CheckedMigration",
    "safe-remove-field": "sentry.new_migrations.monkey.fields.SafeRemoveField",
    "safe-delete-model": "sentry.new_migrations.monkey.models.SafeDeleteModel",
    "deletion-action": "sentry.new_migrations.monkey.state.DeletionAction",
    "safe-run-sql": "sentry.new_migrations.monkey.special.SafeRunSQL",
    "chunked-iterator": "sentry.utils.query.RangeQuerySetWrapperWithProgressBar",
    "test-migrations": "sentry.testutils.cases.TestMigrations",
}
_MIGRATION_FILE = re.compile(r"^\d\w*\.py$")
_MIGRATION_CLASS = re.compile(r"^class Migration\(", re.M)


@dataclass(frozen=True)
class App:
    """A Django app that has a ``migrations`` package."""

    label: str
    module: str
    path: Path

    @property
    def migrations_dir(self) -> Path:
        return self.path / "migrations"


@dataclass
class Project:
    """A repository as found on disk; the heavier indexes are built on first use."""

    root: Path
    config: Config
    apps: dict[str, App]
    python_files: list[Path]
    sentry_style: bool
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was left out on purpose, as Django does

    @cached_property
    def lockfile(self) -> Path | None:
        from .lockfile import lockfile_path

        if self.config.lockfile:
            return lockfile_path(self.root / self.config.lockfile)
        path = lockfile_path(self.root / "migrations_lockfile.txt")
        return path if path.is_file() else None

    @cached_property
    def lock(self):
        """The lockfile format in use (``lock_formats.py``): ``migrations_lockfile.txt``, the apps'
        ``max_migration.txt`` files, or ``None``."""
        from .lock_formats import detect_lock

        return detect_lock(self)

    @cached_property
    def router(self) -> Path | None:
        if self.config.router:
            return self.root / self.config.router
        for path in self.python_files:
            if path.name == "router.py" and "historical_silo_assignments" in _read(path):
                return path
        return None

    @cached_property
    def imports(self) -> dict[str, str]:
        """Dotted paths of CheckedMigration, the Safe* operations and DeletionAction."""
        detected = SENTRY_IMPORTS if self.sentry_style else {}
        return {**detected, **self.config.imports}

    @cached_property
    def convention(self):
        """The deployment convention (``conventions/``): Sentry, django-safemigrate or plain Django."""
        from .conventions import detect

        return detect(self)

    @cached_property
    def django_command(self) -> tuple[str, ...] | None:
        if self.config.django_command:
            return self.config.django_command
        if (self.root / "manage.py").is_file():
            return ("python", "manage.py")
        return ("sentry", "django") if self.sentry_style else None

    @cached_property
    def line_length(self) -> int:
        return self.config.line_length or self.config.black_line_length or (100 if self.sentry_style else 88)

    @cached_property
    def first_party(self) -> frozenset[str]:
        """Top-level packages of the repository's apps (for import sorting)."""
        return frozenset(app.module.split(".")[0] for app in self.apps.values())

    def app(self, label: str, argument: str = "app") -> App:
        """The app labelled ``label``; refused naming ``argument`` (see ``AssistantError``)."""
        if label in self.apps:
            return self.apps[label]
        known = ", ".join(sorted(self.apps))
        raise AssistantError(f"unknown app '{label}' (apps with migrations: {known})", argument=argument)

    def relative(self, path: Path) -> str:
        return path.relative_to(self.root).as_posix()

    @cached_property
    def package_roots(self) -> list[Path]:
        """The directories the apps' packages are imported from (``src/`` …), then the repository root."""
        roots = [app.path.parents[app.module.count(".")] for app in self.apps.values()]
        return list(dict.fromkeys([*sorted(roots), self.root]))

    @cached_property
    def python_path(self) -> list[Path]:
        """``python-path`` from the configuration, relative to the repository root; only ever read."""
        paths = [self.root / Path(entry).expanduser() for entry in self.config.python_path]
        for entry, path in zip(self.config.python_path, paths):
            if not path.is_dir():
                raise AssistantError(f"python-path in [tool.migrate-assistant]: {entry} is not a directory ({path})")
        return paths

    @cached_property
    def index(self):
        """The static index of models and migrations (see ``index.py``)."""
        from .index import RepositoryIndex

        return RepositoryIndex(self)


def discover(start: Path) -> Project:
    """The project containing ``start`` (walking up to the git root)."""
    start = Path(start).expanduser()
    if not start.is_dir():
        raise UsageError(f"--repo {start}: no such directory")
    start = start.resolve()
    root = _git_root(start) or start
    forget_reads(root)
    config = load_config(root)
    skipped = SKIPPED_DIRS | set(config.exclude)
    python_files: list[Path] = []
    app_dirs: list[Path] = []
    notes: list[str] = []
    sentry_style = False
    stack = [root]
    linked: list[Path] = []  # symlinked directories inside the repository, walked after the real ones
    walked: set[tuple[int, int]] = set()
    while stack or linked:
        directory = stack.pop() if stack else linked.pop(0)
        try:
            identity = _identity(directory)
            if identity in walked:
                continue  # already walked under its real path (or a symlink cycle)
            walked.add(identity)
            entries = list(os.scandir(directory))
        except OSError:
            continue
        names = {entry.name for entry in entries}
        if "pyvenv.cfg" in names or (".git" in names and directory != root):
            continue  # a virtualenv, or another repository (nested project or submodule)
        for entry in entries:
            name = entry.name
            if _is_directory(entry, root):
                if name.startswith(".") or name in skipped or _relative(root, entry.path) in skipped:
                    continue
                if name == "migrations" and "__init__.py" in names:
                    kind = _migrations_package(Path(entry.path))
                    if kind == "migrations":
                        app_dirs.append(Path(directory))
                    elif kind == "namespace":
                        notes.append(
                            f"{_relative(root, entry.path)} has no __init__.py: Django loads it as a namespace "
                            "package and treats the app as unmigrated, so it is left out (add an empty __init__.py)"
                        )
                if name == "new_migrations" and Path(directory).name == "sentry":
                    sentry_style = True
                (linked if entry.is_symlink() else stack).append(Path(entry.path))
            elif name.endswith(".py"):
                python_files.append(Path(entry.path))
    if not app_dirs:
        raise AssistantError(f"{root} is not a Django repository: no app with a migrations/ package was found")
    python_files.sort(key=lambda path: path.parts)  # Path order, without a Python-level comparison per pair
    apps: dict[str, App] = {}
    problems: list[str] = []
    for app_dir in sorted(app_dirs):
        app = _app_for(app_dir)
        if app.label in apps:
            problems.append(
                f"two apps have the label '{app.label}': {apps[app.label].path.relative_to(root)} and "
                f"{app.path.relative_to(root)} (exclude one in [tool.migrate-assistant])"
            )
            continue
        apps[app.label] = app
    return Project(root, config, apps, python_files, sentry_style or bool(config.imports), problems, notes)


def _git_root(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory
    return None


def _relative(root: Path, path: str) -> str:
    return Path(path).relative_to(root).as_posix()


def _identity(directory: Path) -> tuple[int, int]:
    info = os.stat(directory)
    return info.st_dev, info.st_ino


def _is_directory(entry: os.DirEntry, root: Path) -> bool:
    """A directory, or a symlink to a directory inside the repository (never one outside it)."""
    if not entry.is_symlink():
        return entry.is_dir(follow_symlinks=False)
    try:
        return entry.is_dir() and Path(os.path.realpath(entry.path)).is_relative_to(root)
    except OSError:
        return False


def _migrations_package(path: Path) -> str | None:
    """What Django's MigrationLoader makes of an app's ``migrations`` directory: ``"migrations"``,
    ``"namespace"`` (no ``__init__.py``: the app is unmigrated) or ``None`` (no migrations package at all:
    modules there, none with a ``Migration`` class — a utility package that happens to be named so)."""
    try:
        names = sorted(os.listdir(path))
    except OSError as exc:
        raise AssistantError(f"{path}: cannot read the migrations folder ({exc.strerror})") from None
    modules = [name for name in names if name.endswith(".py") and name[0] not in "_~"]
    if "__init__.py" not in names:
        return "namespace" if modules else None
    if not modules:
        return "migrations"  # an app without migrations yet
    ordered = sorted(modules, key=lambda name: not _MIGRATION_FILE.match(name))
    return "migrations" if any(_defines_migration(path / name) for name in ordered) else None


def _defines_migration(path: Path) -> bool:
    """Whether a module defines a ``Migration`` class: a numbered file by its text alone (fast), any other
    only when parsing confirms it (``django/db/migrations/writer.py`` has one in a template string)."""
    text = _read(path)
    if not _MIGRATION_CLASS.search(text):
        return False
    if _MIGRATION_FILE.match(path.name):
        return True
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError):
        return False
    return any(isinstance(node, ast.ClassDef) and node.name == "Migration" for node in tree.body)


def _app_for(app_dir: Path) -> App:
    parts = [app_dir.name]
    parent = app_dir.parent
    while (parent / "__init__.py").is_file():
        parts.insert(0, parent.name)
        parent = parent.parent
    module = ".".join(parts)
    return App(_app_label(app_dir, module), module, app_dir)


def _app_label(app_dir: Path, module: str) -> str:
    """The AppConfig label from ``apps.py`` (``label``, else the last part of ``name``)."""
    apps_py = app_dir / "apps.py"
    if apps_py.is_file():
        try:
            tree = ast.parse(_read(apps_py))
        except SyntaxError:
            tree = ast.Module(body=[], type_ignores=[])
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            values = {
                target.id: stmt.value.value
                for stmt in node.body
                if isinstance(stmt, ast.Assign)
                and isinstance(stmt.value, ast.Constant)
                and isinstance(stmt.value.value, str)
                for target in stmt.targets
                if isinstance(target, ast.Name)
            }
            if values.get("name") == module:
                return values.get("label", module.rsplit(".", 1)[-1])
    return module.rsplit(".", 1)[-1]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""
