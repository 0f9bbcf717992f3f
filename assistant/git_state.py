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


@dataclass(frozen=True)
class BranchBase:
    """Where this branch left the main branch, asked of git once per ``check``."""

    head: bool  # HEAD is a commit (not a repository without commits yet)
    main: str | None  # the main branch as a ref to compare with, if there is one
    base: str | None  # the merge-base of HEAD and ``main``, when both exist


def branch_base(root: Path, configured: str | None) -> BranchBase:
    with open_repo(root) as repo:
        if not repo.head.is_valid():
            return BranchBase(False, None, None)
        main = main_ref(repo, configured)
        return BranchBase(True, main, repo.git.merge_base("HEAD", main) if main else None)


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
    """Where the repository is: a merge or rebase in progress, and which commits are upstream.

    ``upstream`` is the other side: the merge's other parent (in progress, or HEAD's second
    parent after a committed merge), the rebase's onto-commit, else the remote's default branch
    (``origin/HEAD``), else the configured or detected main branch. ``candidates`` are every ref
    whose migrations count as upstream (``upstream`` and the main branches): none is renamed.
    """

    operation: str | None
    upstream: str | None
    main: str | None
    unmerged: tuple[str, ...]
    candidates: tuple[str, ...] = ()


def situation(root: Path, configured_branch: str | None) -> Situation:
    with open_repo(root) as repo:
        git_dir = Path(repo.git_dir)
        main = main_ref(repo, configured_branch)
        unmerged = tuple(sorted(set(repo.git.diff("--name-only", "--diff-filter=U").split())))
        operation, upstream = None, None
        for folder in ("rebase-merge", "rebase-apply"):
            onto = git_dir / folder / "onto"
            if onto.is_file():
                operation, upstream = "rebase", onto.read_text().strip()
                break
        else:
            if (git_dir / "MERGE_HEAD").is_file():
                operation, upstream = "merge", (git_dir / "MERGE_HEAD").read_text().split()[0]
            elif repo.head.is_valid() and len(repo.head.commit.parents) == 2:
                upstream = repo.head.commit.parents[1].hexsha  # a committed merge: what it brought in
        remote_default = _remote_default(repo)
        mains = _main_refs(repo, configured_branch)
        if upstream is None:
            upstream = remote_default or _the_main_branch(mains, configured_branch)
        candidates = tuple(dict.fromkeys(ref for ref in (upstream, remote_default, *mains) if ref))
        return Situation(operation, upstream, main, unmerged, candidates)


def _remote_default(repo) -> str | None:
    """``origin/<branch>`` that ``origin/HEAD`` points at, if the clone knows it."""
    from git import GitCommandError

    try:
        ref = repo.git.symbolic_ref("-q", "refs/remotes/origin/HEAD")
    except GitCommandError:
        return None
    return ref.removeprefix("refs/remotes/") or None


def _main_refs(repo, configured: str | None) -> list[str]:
    """Every existing ref of the main branch (``origin/<name>`` and ``<name>``; main and master when not configured)."""
    from git import GitCommandError

    found = []
    for name in [configured] if configured else ["main", "master"]:
        for ref in (f"origin/{name}", name):
            try:
                repo.git.rev_parse("--verify", "--quiet", f"{ref}^{{commit}}")
                found.append(ref)
            except GitCommandError:
                continue
    return found


def _the_main_branch(mains: list[str], configured: str | None) -> str | None:
    names = {ref.removeprefix("origin/") for ref in mains}
    if not configured and len(names) > 1:
        raise AssistantError(
            "both main and master exist and neither is the remote's default branch (origin/HEAD): cannot tell "
            "which is upstream; set main-branch in [tool.migrate-assistant]"
        )
    return mains[0] if mains else None


def unstaged_paths(root: Path, paths: list[str], allowed: set[str]) -> list[str]:
    """Of ``paths``, those with changes not staged in git (or not tracked at all), except the ``allowed``."""
    with open_repo(root) as repo:
        output = repo.git.status("--porcelain=v1", "-z", "--untracked-files=all", "--", *paths)
    found, items = [], iter(output.split("\0"))
    for item in items:
        if len(item) < 4:
            continue
        state, path = item[:2], item[3:]
        if state[0] in "RC":
            next(items, None)  # the original path of a staged rename
        unmerged = "U" in state or state in ("AA", "DD")
        if path not in allowed and (state == "??" or (state[1] != " " and not unmerged)):
            found.append(path)
    return found


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
