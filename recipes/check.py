"""Check new migrations for what Sentry's migration framework would refuse.

By default: the migrations added or changed on this branch (since the
merge-base with the main branch) and the uncommitted ones; explicit paths
override. Works statically, without the project's Django.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from migrate_assistant.check_scope import check_scope
from migrate_assistant.checks import Finding, check_migration
from migrate_assistant.migration_files import read_migration
from migrate_assistant.project import Project
from migrate_assistant.suppressions import suppression_for, suppressions


@dataclass
class CheckReport:
    checked: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    suppressed: list[Finding] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # "path: why" for files that are not migrations
    unscoped: str | None = None  # why nothing could be selected without paths (no git)


def run_check(project: Project, paths: list[str]) -> CheckReport:
    scope = check_scope(project, paths)
    report = CheckReport(skipped=scope.skipped, unscoped=scope.unscoped)
    graph = project.index.graph
    for app, path in scope.files:
        migration = graph.nodes.get((app, path.stem)) or read_migration(app, path)
        report.checked.append(project.relative(path))
        if migration.key not in graph.nodes:
            continue  # replaced by a squashed migration: Django never runs it
        items = suppressions(migration.source)
        for finding in check_migration(project, migration):
            suppression = suppression_for(items, finding.rule, finding.line, finding.end_line)
            if suppression and suppression.reason:
                finding.suppressed = suppression.reason
                report.suppressed.append(finding)
                continue
            if suppression:
                finding.fix += f" (the suppression on line {suppression.line} has no reason, so it does not count)"
            report.findings.append(finding)
    return report
