"""The sample repository that `migrate-assistant demo` and the test-suite work on.

`repo-template/` holds a small Django project shaped like Sentry (getsentry/sentry):
the `sentry`, `uptime` and `hybridcloud` apps under `src/sentry/`, Sentry-style
migrations with CheckedMigration and SafeRemoveField/SafeDeleteModel, and a
`migrations_lockfile.txt`. `build_sample_repo()` copies it into a new folder and,
by default, commits it to a fresh git repository.
"""

import shutil
from pathlib import Path

TEMPLATE = Path(__file__).parent / "repo-template"


def build_sample_repo(dest: Path, *, git: bool = True) -> Path:
    """Copy the sample project into `dest` (missing or empty) and optionally commit it."""
    dest = Path(dest)
    if dest.exists() and (not dest.is_dir() or any(dest.iterdir())):
        raise FileExistsError(f"{dest} already exists and is not an empty directory")
    shutil.copytree(
        TEMPLATE,
        dest,
        dirs_exist_ok=True,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.sqlite3"),
    )
    if git:
        import git as gitpython

        repo = gitpython.Repo.init(dest, initial_branch="main")
        with repo.config_writer() as config:
            config.set_value("user", "name", "Sample Developer")
            config.set_value("user", "email", "dev@example.com")
        repo.git.add(all=True)
        repo.index.commit("Initial sample project")
    return dest
