"""Repository facts from git (GitPython), opened briefly and closed again."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
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


def commit_plan(root: Path, paths: dict[str, str | None], branch: str, message: str) -> str:
    """Create ``branch`` here and commit exactly ``paths`` on it; returns the commit's short hash.

    ``paths`` maps each written file to its content before the plan (``None`` for
    a new file). A file that already differed from HEAD before the plan is
    refused: its other changes are the user's, not ours to commit.
    """
    from git import BadName, GitCommandError

    with open_repo(root) as repo:
        if repo.head.is_detached:
            raise AssistantError("HEAD is detached: check out a branch first")
        for marker in ("MERGE_HEAD", "REBASE_HEAD", "CHERRY_PICK_HEAD"):
            if (Path(repo.git_dir) / marker).exists():
                raise AssistantError(f"a {marker.split('_')[0].lower()} is in progress: finish it first")
        mixed = []
        for path, before in paths.items():
            try:
                committed = repo.git.show(f"HEAD:{path}", strip_newline_in_stdout=False)
            except (GitCommandError, BadName):
                committed = None
            if committed != before:
                mixed.append(path)
        if mixed:
            raise AssistantError(
                f"{', '.join(mixed)} had uncommitted changes before this plan: commit the plan yourself "
                "so that only what you mean goes in"
            )
        if branch in [head.name for head in repo.heads]:
            raise AssistantError(f"a branch named {branch} already exists")
        try:
            repo.git.checkout("-b", branch)
            repo.git.add("--all", "--", *paths)
            repo.git.commit("-m", message, "--", *paths)
        except GitCommandError as error:
            raise AssistantError(f"git could not commit: {error.stderr.strip() or error}") from None
        return repo.head.commit.hexsha[:10]


@dataclass(frozen=True)
class Situation:
    """Where the repository is: a merge or rebase in progress, and which commit is upstream."""

    operation: str | None
    upstream: str | None
    main: str | None
    unmerged: tuple[str, ...]


def situation(root: Path, configured_branch: str | None) -> Situation:
    from git import GitCommandError

    with open_repo(root) as repo:
        git_dir = Path(repo.git_dir)
        main = main_ref(repo, configured_branch)
        unmerged = tuple(sorted(set(repo.git.diff("--name-only", "--diff-filter=U").split())))
        for folder in ("rebase-merge", "rebase-apply"):
            onto = git_dir / folder / "onto"
            if onto.is_file():
                return Situation("rebase", onto.read_text().strip(), main, unmerged)
        if (git_dir / "MERGE_HEAD").is_file():
            theirs = (git_dir / "MERGE_HEAD").read_text().split()[0]
            head = repo.head.commit.hexsha

            def contains_main(commit: str) -> bool:
                try:
                    repo.git.merge_base("--is-ancestor", main, commit)
                    return True
                except GitCommandError:
                    return False

            upstream = head if main and contains_main(head) and not contains_main(theirs) else theirs
            return Situation("merge", upstream, main, unmerged)
        return Situation(None, repo.git.rev_parse(main) if main else None, main, unmerged)


def committed_paths(root: Path, commits: list[str], folders: list[str]) -> set[str]:
    """Files under ``folders`` in any of ``commits``."""
    with open_repo(root) as repo:
        found: set[str] = set()
        for commit in commits:
            found.update(repo.git.ls_tree("-r", "--name-only", commit, "--", *folders).splitlines())
        return found


def stage(root: Path, paths: list[str]) -> None:
    """``git add`` these paths (new, changed or deleted), e.g. to mark a conflict resolved."""
    from git import GitCommandError

    with open_repo(root) as repo:
        try:
            repo.git.add("--all", "--", *paths)
        except GitCommandError as error:
            raise AssistantError(f"git could not stage the files: {error.stderr.strip() or error}") from None


def file_at(root: Path, ref: str, path: str) -> str | None:
    """The text of ``path`` at ``ref``, or ``None``."""
    from git import GitCommandError

    with open_repo(root) as repo:
        try:
            return repo.git.show(f"{ref}:{path}", strip_newline_in_stdout=False)
        except GitCommandError:
            return None


def files_defining(root: Path, ref: str, class_name: str) -> list[str]:
    """Python files that define ``class <class_name>(`` at ``ref``."""
    from git import GitCommandError

    with open_repo(root) as repo:
        try:
            output = repo.git.grep("-l", "-E", f"^class {class_name}\\(", ref, "--", "*.py")
        except GitCommandError:
            return []
        return [line.split(":", 1)[1] for line in output.splitlines()]
