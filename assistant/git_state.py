"""Repository facts from git (GitPython), opened briefly and closed again."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

from .errors import AssistantError


@contextmanager
def open_repo(root: Path):
    import git

    try:
        repo = git.Repo(root)
    except (git.InvalidGitRepositoryError, git.NoSuchPathError):
        raise AssistantError(f"{root} is not a git repository") from None
    try:
        yield repo
    finally:
        repo.close()


def main_ref(repo, configured: str | None) -> str | None:
    """The main branch as a ref to compare with: the upstream copy when there is one."""
    from git import GitCommandError

    names = [configured] if configured else ["main", "master"]
    for name in names:
        for ref in (f"origin/{name}", name):
            try:
                repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
                return ref
            except GitCommandError:
                continue
    return None


def file_on_main(root: Path, path: str, configured_branch: str | None) -> bool | None:
    """Whether ``path`` exists on the main branch; ``None`` when there is no git or no main branch."""
    from git import GitCommandError

    if not (root / ".git").exists():
        return None
    with open_repo(root) as repo:
        ref = main_ref(repo, configured_branch)
        if ref is None:
            return None
        try:
            repo.git.cat_file("-e", f"{ref}:{path}")
            return True
        except GitCommandError:
            return False
