"""Write several phases as stacked git branches: each phase planned on the one before, committed
on its own branch, with a PR description file outside the commit.

All or nothing: on any error the branches created are deleted, the files put back, and the
user is back on the branch they started from.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .apply import apply_plan, undo_plan
from .errors import AssistantError
from .git_state import commit_plan, main_ref, open_repo
from .plan import Plan
from .project import Project, discover


@dataclass(frozen=True)
class StackedPhase:
    branch: str
    plan: Callable[[Project], Plan]  # planned on the repository as the previous phase left it
    message: Callable[[Plan], str]  # the commit message
    description: Callable[[Plan, dict[str, str]], str]  # the PR description, given every phase's branch → commit


@dataclass(frozen=True)
class WrittenPhase:
    branch: str
    commit: str
    plan: Plan
    description_path: Path
    base: str  # the branch its PR merges into


def refuse_stack(project: Project) -> None:
    """A convention that drops in the same PR as phase 1 leaves no phase 2 to stack."""
    convention = project.convention
    if convention.drops_in_same_pr:
        raise AssistantError(
            f"{convention.title} writes both phases in one PR: there is no phase 2 to stack; use --phase 1"
        )


def write_stack(project: Project, phases: list[StackedPhase], pr_dir: Path | None = None) -> list[WrittenPhase]:
    """Commit each phase on its branch (each on top of the previous), then check out the first."""
    refuse_stack(project)
    start, main = _preflight(project, phases)
    written: list[tuple[StackedPhase, str, Plan]] = []
    try:
        current = project
        for phase in phases:
            plan = phase.plan(current)
            _require_clean(current.root, plan)
            apply_plan(current.root, plan)
            try:
                commit = commit_plan(current.root, _befores(plan), phase.branch, phase.message(plan))
            except AssistantError:
                undo_plan(current.root, plan)
                raise
            written.append((phase, commit, plan))
            current = discover(project.root)
        with open_repo(project.root) as repo:
            repo.git.checkout(phases[0].branch)
            folder = pr_dir or Path(repo.git_dir) / "migrate-assistant" / "pr"
    except Exception:
        _unwind(project.root, start, [phase.branch for phase, _, _ in written])
        raise
    commits = {phase.branch: commit for phase, commit, _ in written}
    folder.mkdir(parents=True, exist_ok=True)
    results = []
    base = main
    for phase, commit, plan in written:
        path = folder / f"{phase.branch.replace('/', '-')}.md"
        path.write_text(phase.description(plan, commits), encoding="utf-8")
        results.append(WrittenPhase(phase.branch, commit, plan, path, base))
        base = phase.branch
    return results


def _preflight(project: Project, phases: list[StackedPhase]) -> tuple[str, str]:
    """The branch the user is on and the main branch's name; refuses what would mix work."""
    if not (project.root / ".git").exists():
        raise AssistantError(f"{project.root} is not a git repository: --stack commits on new branches")
    with open_repo(project.root) as repo:
        if repo.head.is_detached:
            raise AssistantError("HEAD is detached: check out a branch first")
        for marker, what in (("MERGE_HEAD", "merge"), ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert")):
            if (Path(repo.git_dir) / marker).exists():
                raise AssistantError(f"a {what} is in progress: finish it first")
        if any((Path(repo.git_dir) / folder).exists() for folder in ("rebase-merge", "rebase-apply")):
            raise AssistantError("a rebase is in progress: finish it first")
        existing = {head.name for head in repo.heads}
        taken = [phase.branch for phase in phases if phase.branch in existing]
        if taken:
            raise AssistantError(f"branch {', '.join(taken)} already exists: choose another name (--stack NAME)")
        for phase in phases:
            if repo.git.check_ref_format("--branch", phase.branch, with_exceptions=False) != phase.branch:
                raise AssistantError(f"{phase.branch!r} is not a valid branch name")
        main = main_ref(repo, project.config.main_branch)
        return repo.active_branch.name, (main or repo.active_branch.name).removeprefix("origin/")


def _require_clean(root: Path, plan: Plan) -> None:
    """The files a phase writes must have no uncommitted changes (they would go into its commit)."""
    paths = [path for edit in plan.edits for path in edit.paths]
    with open_repo(root) as repo:
        dirty = [
            line[3:] for line in repo.git.status("--porcelain", "--untracked-files=all", "--", *paths).splitlines()
        ]
    if dirty:
        raise AssistantError(
            f"{', '.join(sorted(dirty))} had uncommitted changes: commit or stash them first "
            "(--stack commits exactly the phases)"
        )


def _befores(plan: Plan) -> dict[str, str | None]:
    found: dict[str, str | None] = {}
    for edit in plan.edits:
        if edit.source is not None:
            found[edit.source] = edit.before
            found[edit.path] = None
        else:
            found[edit.path] = edit.before
    return found


def _unwind(root: Path, start: str, branches: list[str]) -> None:
    """Back to ``start`` and delete the branches this run created."""
    with open_repo(root) as repo:
        repo.git.checkout(start)
        for branch in branches:
            repo.git.branch("-D", branch)
