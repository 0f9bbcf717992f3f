"""What production runs: the source of truth for "deployed", read-only.

One source per run: a ``django_migrations`` table (``database-url``, PostgreSQL
or SQLite, opened read-only) or a git ref that production runs
(``deployed-ref``: a branch such as ``origin/production``, or a tag pattern such
as ``deploy-*``, whose newest tag by date is taken). Without one, "deployed" is
unknown, never guessed.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from .errors import AssistantError
from .project import Project

Key = tuple[str, str]


@dataclass
class Deployments:
    """Which migrations production has (``None`` everywhere when there is no source)."""

    kind: str | None = None  # "database", "git-ref" or None
    description: str = "no deployment source (set deployed-ref or database-url)"
    applied: dict[Key, datetime | None] = field(default_factory=dict)
    ref: str | None = None  # the git ref, for the date a file arrived there
    tags: str | None = None  # the tag pattern, when the ref came from one

    @property
    def known(self) -> bool:
        return self.kind is not None

    def deployed(self, key: Key, replaces: list[Key] = ()) -> bool | None:
        """Whether production has it; a squash counts when Django recorded all it replaces."""
        if not self.known:
            return None
        return key in self.applied or bool(replaces) and all(item in self.applied for item in replaces)

    def deployed_dates(self, root: Path, paths: dict[Key, str]) -> dict[Key, datetime]:
        """When each deployed migration (key → its file) reached production, where that can be told:
        the applied time, the oldest matching tag that has it, or the ref's first-parent commit."""
        keys = {key: path for key, path in paths.items() if key in self.applied}
        if self.kind == "database":
            return {key: self.applied[key] for key in keys if self.applied[key]}
        if not keys or self.ref is None:
            return {}
        if not self.tags:
            found = first_parent_arrivals(root, self.ref, list(keys.values()))
            return {key: found[path] for key, path in keys.items() if path in found}
        added = _adding_commits(root, self.ref, list(keys.values()))
        tag_dates = {commit: _oldest_tag(root, commit, self.tags) for commit in set(added.values())}
        return {key: tag_dates[added[path]] for key, path in keys.items() if tag_dates.get(added.get(path))}


def deployment_source(project: Project) -> Deployments:
    """The configured source (``database-url`` wins over ``deployed-ref``), read once."""
    url = project.config.database_url
    if url:
        return _from_database(os.path.expandvars(url), project)
    if project.config.deployed_ref:
        return _from_git(project, project.config.deployed_ref)
    return Deployments()


# django_migrations -------------------------------------------------------------------------


def read_applied(url: str, root: Path) -> dict[Key, datetime | None]:
    """``(app, name) → applied`` from a database's ``django_migrations``, opened read-only."""
    if url.startswith("sqlite:"):
        rows = _sqlite_rows(url, root)
    elif url.startswith(("postgres://", "postgresql://")):
        rows = _postgres_rows(url)
    else:
        raise AssistantError(f"database-url must start with sqlite:///, postgres:// or postgresql://: {_safe(url)}")
    return {(app, name): _as_utc(applied) for app, name, applied in rows}


def _sqlite_rows(url: str, root: Path) -> list[tuple]:
    path = Path(url.removeprefix("sqlite:///"))
    path = path if path.is_absolute() else root / path
    if not url.startswith("sqlite:///") or not path.is_file():
        raise AssistantError(f"{url}: no such SQLite database (use sqlite:////absolute/path or sqlite:///relative)")
    import sqlite3  # only for a SQLite deployment source

    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise AssistantError(f"{path}: cannot open the database read-only ({error})") from None
    try:
        return connection.execute("SELECT app, name, applied FROM django_migrations").fetchall()
    except sqlite3.Error as error:
        raise AssistantError(f"{path}: cannot read django_migrations ({error})") from None
    finally:
        connection.close()


def _postgres_rows(url: str) -> list[tuple]:
    try:
        import psycopg
    except ImportError:
        raise AssistantError("reading a PostgreSQL database-url needs psycopg: pip install 'psycopg[binary]'") from None
    try:
        with connect_read_only(url) as connection:
            return connection.execute("SELECT app, name, applied FROM django_migrations").fetchall()
    except psycopg.Error as error:
        message = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise AssistantError(f"{_safe(url)}: cannot read django_migrations ({message})") from None


def connect_read_only(url: str):
    """A PostgreSQL connection whose every transaction is read-only."""
    import psycopg

    connection = psycopg.connect(url, connect_timeout=10, options="-c default_transaction_read_only=on")
    connection.read_only = True
    return connection


def _as_utc(value) -> datetime | None:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _safe(url: str) -> str:
    """The URL without its password."""
    scheme, sep, rest = url.partition("://")
    if "@" in rest:
        credentials, _, host = rest.rpartition("@")
        rest = f"{credentials.split(':')[0]}:***@{host}" if ":" in credentials else rest
    return f"{scheme}{sep}{rest}"


def _from_database(url: str, project: Project) -> Deployments:
    return Deployments("database", f"django_migrations of {_safe(url)}", read_applied(url, project.root))


# a git ref (plain git: ``status`` does not load GitPython) ---------------------------------


def _git(root: Path, *args: str) -> str | None:
    """``git`` output, or ``None`` when it fails (no repository, unknown ref)."""
    try:
        result = subprocess.run(["git", *args], cwd=root, capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return result.stdout if result.returncode == 0 else None


def _is_commit(root: Path, ref: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}") is not None


def _migration_files(project: Project, ref: str) -> list[str]:
    folders = [project.relative(app.migrations_dir) for app in project.apps.values()]
    return (_git(project.root, "ls-tree", "-r", "--name-only", ref, "--", *folders) or "").splitlines()


def _from_git(project: Project, configured: str) -> Deployments:
    root = project.root
    tags = configured if any(char in configured for char in "*?[") else None
    if tags:
        newest = (
            _git(root, "for-each-ref", "--sort=-creatordate", "--format=%(refname:short)", f"refs/tags/{tags}") or ""
        ).split()
        if not newest:
            raise AssistantError(f"deployed-ref {configured}: no tag matches")
        ref, description = newest[0], f"tag {newest[0]} (newest of {configured})"
    else:
        ref, description = configured, f"git ref {configured}"
    if not _is_commit(root, ref):
        raise AssistantError(f"deployed-ref {configured}: no such git ref")
    applied: dict[Key, datetime | None] = {}
    for path in _migration_files(project, ref):
        app = _app_of(project, path)
        if app and path.endswith(".py") and Path(path).name[:1].isdigit():
            applied[(app, Path(path).stem)] = None
    return Deployments("git-ref", description, applied, ref, tags)


def _app_of(project: Project, path: str) -> str | None:
    folder = str(Path(path).parent)
    return next((label for label, app in project.apps.items() if project.relative(app.migrations_dir) == folder), None)


def _log_by_path(root: Path, value: str, *args: str) -> dict[str, str]:
    """``git log ARGS --name-only``: each path → ``value`` (a format) of the oldest commit that lists it."""
    output = _git(root, "log", "--name-only", f"--format=@@{value}", *args) or ""
    found: dict[str, str] = {}
    value = ""
    for line in output.splitlines():
        if line.startswith("@@"):
            value = line[2:]
        elif line.strip():
            found[line.strip()] = value  # newest first: the oldest commit is seen last
    return found


def first_parent_arrivals(root: Path, ref: str, paths: list[str]) -> dict[str, datetime]:
    """For each path, the committer date of the first commit on ``ref``'s first-parent line that added it."""
    if not paths:
        return {}
    found = _log_by_path(root, "%cI", "--first-parent", "--diff-filter=A", ref, "--", *paths)
    return {path: moment for path, stamp in found.items() if (moment := _as_utc(stamp))}


def _adding_commits(root: Path, ref: str, paths: list[str]) -> dict[str, str]:
    return _log_by_path(root, "%H", "--diff-filter=A", ref, "--", *paths)


def _oldest_tag(root: Path, commit: str, pattern: str) -> datetime | None:
    output = _git(
        root,
        "for-each-ref",
        "--sort=creatordate",
        "--format=%(creatordate:iso-strict)",
        f"--contains={commit}",
        f"refs/tags/{pattern}",
    )
    stamps = (output or "").split()
    return _as_utc(stamps[0]) if stamps else None


# the main branch ---------------------------------------------------------------------------


@dataclass
class MainBranch:
    """Which migration files are merged (on the main branch); ``ref`` is ``None`` without one."""

    ref: str | None
    files: frozenset[str] = frozenset()

    def merged(self, path: str) -> bool | None:
        return path in self.files if self.ref else None


def main_branch(project: Project) -> MainBranch:
    """The main branch as ``git_state.main_ref`` finds it (upstream copy first), and its migration files."""
    if not (project.root / ".git").exists():
        return MainBranch(None)
    names = [project.config.main_branch] if project.config.main_branch else ["main", "master"]
    for name in names:
        for ref in (f"origin/{name}", name):
            if _is_commit(project.root, ref):
                return MainBranch(ref, frozenset(_migration_files(project, ref)))
    return MainBranch(None)
