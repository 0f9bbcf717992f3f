"""Check new migrations for what would break production (the repository's convention's rules).

By default: the migrations added or changed on this branch (since the
merge-base with the main branch) and the uncommitted ones; explicit paths
override. Works statically, without the project's Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate_assistant.check_scope import check_scope
from migrate_assistant.checks import RULES, Finding, check_migration
from migrate_assistant.errors import AssistantError
from migrate_assistant.git_state import BranchBase, branch_base
from migrate_assistant.graph_rules import both_phases, branch_findings, migration_findings
from migrate_assistant.lifecycle import lifecycles
from migrate_assistant.migration_files import read_migration
from migrate_assistant.project import Project
from migrate_assistant.suppressions import suppression_for, suppressions


@dataclass
class CheckReport:
    checked: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # "path:line: why": the graph Django cannot load
    rules: dict[str, str] = field(default_factory=dict)  # the rules of the repository's convention
    skipped: list[str] = field(default_factory=list)  # "path: why" for files that are not migrations
    unscoped: str | None = None  # why nothing could be selected without paths (no git)


def branch_of(project: Project) -> BranchBase | None:
    """Where this branch left the main branch (``None`` without git): what ``run_check`` asks git first."""
    return branch_base(project.root, project.config.main_branch) if (project.root / ".git").exists() else None


def run_check(project: Project, paths: list[str], branch: BranchBase | None = None) -> CheckReport:
    """The rules on each migration; the graph rules on the branch too when no paths are given
    (``branch``: ``branch_of(project)``, if already asked)."""
    from concurrent.futures import ThreadPoolExecutor

    if branch is None and not paths:
        branch = branch_of(project)  # asked of git once
    problems = list(project.index.graph_problems)  # the graph is built before a second thread reads it
    with ThreadPoolExecutor(1) as pool:
        # The branch rules' git calls overlap the rules below. They read only the graph (built above) and migration
        # files: the index's lazy reading of models is not safe from two threads, so a rule that needs it runs here.
        on_branch = None if paths else pool.submit(branch_findings, project, branch)
        scope = check_scope(project, paths, branch)
        report = CheckReport(
            rules={rule: title for rule, title in RULES.items() if project.convention.applies(rule)},
            problems=problems,
            skipped=scope.skipped,
            unscoped=scope.unscoped,
        )
        graph = project.index.graph
        checked = []
        for app, path in scope.files:
            migration = graph.nodes.get((app, path.stem)) or read_migration(app, path)
            report.checked.append(project.relative(path))
            if migration.key not in graph.nodes:
                continue  # replaced by a squashed migration: Django never runs it
            checked.append(migration)
            items = suppressions(migration.source)
            for finding in check_migration(project, migration) + migration_findings(project, migration):
                suppression = suppression_for(items, finding.rule, finding.line, finding.end_line)
                if suppression and suppression.reason:
                    finding.suppressed = suppression.reason
                    report.suppressed.append(finding)
                    continue
                if suppression:
                    finding.fix += f" (the suppression on line {suppression.line} has no reason, so it does not count)"
                report.findings.append(finding)
        report.findings += both_phases(project, checked)
        if on_branch is not None:
            report.findings += on_branch.result()
    return report


def run_forgotten(project: Project) -> CheckReport:
    """MA021 for every pending deletion whose phase 1 deployed more than phase-2-after-days ago."""
    report = CheckReport(rules={rule: title for rule, title in RULES.items() if project.convention.applies(rule)})
    lifecycle = lifecycles(project)
    if lifecycle.source is None:
        raise AssistantError(
            "check --forgotten needs to know what is deployed: set deployed-ref or database-url "
            "(or pass --deployed-ref / --database-url)"
        )
    for item in lifecycle.forgotten:
        report.checked.append(item.phase_1.path)
        report.findings.append(
            Finding(
                "MA021",
                item.phase_1.path,
                item.line,
                f"phase 2 of {item.target} not written: phase 1 ({_named(item.phase_1)}) deployed "
                f"{item.waiting_days} days ago (more than {lifecycle.phase_2_after_days}); the "
                f"{'column' if item.kind == 'field' else 'table'} stays in production and shows as drift",
                f"Write {project.convention.phase_two_name} now (check first that nothing writes to it any more).",
                item.command,
            )
        )
    return report


def _named(phase) -> str:
    """A phase's migration, with what it does in the convention's words (Sentry: the migration alone)."""
    return f"{phase.migration}, a {phase.mark}" if phase.mark else phase.migration
