"""The command line: ``migrate-assistant [--repo DIR] COMMAND``.

With no command it opens the terminal assistant. Every recipe is also a
subcommand that prints its plan and writes it (or, with ``--dry-run``, only
prints the diff). Exit codes: 0 done, 1 refused or failed (nothing written),
2 usage error. Textual is imported only to open the assistant.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from . import __version__
from .errors import AssistantError, UsageError

MAX_REFERENCES = 25


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migrate-assistant",
        description="Safe multi-phase Django schema changes, the way Sentry does them.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--repo", metavar="DIR", type=Path, default=Path.cwd(), help="repository (default: the current directory)"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    status = commands.add_parser("status", help="apps, lockfile health and pending deletions")
    status.add_argument("--format", choices=("text", "json"), default="text")
    status.set_defaults(handler=_status)

    remove = commands.add_parser("remove-field", help="remove a column in two deploys")
    remove.add_argument("targets", nargs="+", metavar="APP.Model.field")
    _phase_options(remove)
    remove.set_defaults(handler=_recipe("remove_field", "plan_remove_fields", lambda a: (a.targets, a.phase, a.name)))

    remove_model = commands.add_parser("remove-model", help="remove a model (its table) in two deploys")
    remove_model.add_argument("targets", nargs="+", metavar="APP.Model")
    _phase_options(remove_model)
    remove_model.set_defaults(
        handler=_recipe("remove_model", "plan_remove_models", lambda a: (a.targets, a.phase, a.name))
    )

    remove_both = commands.add_parser("remove", help="remove fields and models together, one migration per app")
    remove_both.add_argument("targets", nargs="+", metavar="APP.Model[.field]")
    _phase_options(remove_both)
    remove_both.set_defaults(handler=_recipe("remove", "plan_removals", lambda a: (a.targets, a.phase, a.name)))

    rename_field = commands.add_parser(
        "rename-field", help="rename a field in Django only (db_column keeps the column)"
    )
    rename_field.add_argument("target", metavar="APP.Model.field")
    rename_field.add_argument("new_name", metavar="NEW")
    _write_options(rename_field)
    rename_field.set_defaults(handler=_recipe("rename_field", "plan_rename_field", lambda a: (a.target, a.new_name)))

    rename_model = commands.add_parser(
        "rename-model", help="rename a model in Django only (Meta.db_table keeps the table)"
    )
    rename_model.add_argument("target", metavar="APP.Model")
    rename_model.add_argument("new_name", metavar="NEW")
    _write_options(rename_model)
    rename_model.set_defaults(handler=_recipe("rename_model", "plan_rename_model", lambda a: (a.target, a.new_name)))

    add_field = commands.add_parser("add-field", help="add a column safely (nullable, or NOT NULL with db_default)")
    add_field.add_argument("target", metavar="APP.Model.name")
    add_field.add_argument("expression", metavar="FIELD", help='e.g. "models.IntegerField(db_default=0)"')
    add_field.add_argument("--nullable", action="store_true", help="add null=True to the field")
    _write_options(add_field)
    add_field.set_defaults(
        handler=_recipe("add_field", "plan_add_field", lambda a: (a.target, a.expression, a.nullable))
    )

    add_index = commands.add_parser("add-index", help="add a Meta index (post-deployment on a large table)")
    add_index.add_argument("target", metavar="APP.Model")
    add_index.add_argument(
        "fields", nargs="+", metavar="FIELD", help="fields, -field for descending (put -- before a -field)"
    )
    add_index.add_argument("--name", help="index name (default: the name Django would give it)")
    _write_options(add_index)
    add_index.set_defaults(handler=_recipe("add_index", "plan_add_index", lambda a: (a.target, a.fields, a.name)))

    data = commands.add_parser("data-migration", help="a post-deployment RunPython migration and its test")
    data.add_argument("app", metavar="APP")
    data.add_argument("name", metavar="NAME", help="migration name, also the function's name")
    data.add_argument("--model", metavar="APP.Model", help="the model whose rows it changes")
    _write_options(data)
    data.set_defaults(handler=_recipe("data_migration", "plan_data_migration", lambda a: (a.app, a.name, a.model)))

    sql = commands.add_parser("sqlmigrate", help="the SQL of a migration, from the project's own Django")
    sql.add_argument("app", metavar="APP")
    sql.add_argument("migration", metavar="MIGRATION", help="its name or number, e.g. 0008")
    sql.set_defaults(handler=_sqlmigrate)

    rewrite = commands.add_parser(
        "fix-migration", help="rewrite a new migration's RemoveField / DeleteModel as phase 1"
    )
    rewrite.add_argument("path", metavar="PATH")
    _write_options(rewrite)
    rewrite.set_defaults(handler=_recipe("fix_migration", "plan_fix_migration", lambda a: (a.path,)))

    fix = commands.add_parser(
        "fix-lockfile", help="resolve migrations_lockfile.txt conflicts: renumber this branch's migrations"
    )
    fix.add_argument("--dry-run", action="store_true", help="print the renames and the diff, write nothing")
    fix.set_defaults(handler=_fix_lockfile, sql=False, verify=False)

    check = commands.add_parser("check", help="find what Sentry's migration framework would refuse in new migrations")
    check.add_argument("paths", nargs="*", metavar="PATH", help="migrations to check (default: this branch's)")
    check.add_argument("--format", choices=("text", "json", "github"), default="text")
    check.set_defaults(handler=_check)

    demo = commands.add_parser("demo", help="create a sample Sentry-shaped repository and open the assistant on it")
    demo.add_argument("directory", nargs="?", type=Path, metavar="DIR", help="where to create it (must not exist)")
    demo.add_argument("--no-tui", action="store_true", help="only create the repository")
    demo.set_defaults(handler=_demo)
    return parser


def _phase_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--phase", type=int, choices=(1, 2), required=True, help="1: move to pending, 2: delete")
    parser.add_argument("--name", help="migration name, without the number (default: derived from the targets)")
    _write_options(parser)


def _write_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dry-run", action="store_true", help="print the diff, write nothing")
    parser.add_argument(
        "--sql", action="store_true", help="also print the SQL of the new migrations (the project's sqlmigrate)"
    )
    parser.add_argument(
        "--verify",
        action="store_true",
        help="before writing, run the project's Django check and makemigrations --check on a scratch copy "
        "with the plan applied; write nothing unless both agree",
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command is None:
            return _open_assistant(args.repo)
        return args.handler(args)
    except AssistantError as error:
        print(f"migrate-assistant: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _project(args):
    from .project import discover

    return discover(args.repo)


def _status(args) -> int:
    from .status import project_status

    status = project_status(_project(args))
    if args.format == "json":
        print(json.dumps(status.as_json(), indent=2))
        return 0
    width = max([len(app.label) for app in status.apps] + [3])
    print(f"Repository: {status.root}{' (Sentry-style)' if status.sentry_style else ''}")
    print()
    for app in status.apps:
        leaf = app.leaf or (" + ".join(app.leaves) + "  (several leaves!)" if app.leaves else "(no migrations)")
        lock = ""
        if status.lockfile:
            lock = "lockfile ok" if app.lockfile_ok else f"lockfile says {app.locked or 'nothing'}"
        print(f"  {app.label:<{width}}  {leaf:<52} {lock}")
    print()
    if status.lockfile is None:
        print("Lockfile: none")
    elif status.lockfile_conflicted:
        print(f"Lockfile: {status.lockfile} has conflict markers — run: migrate-assistant fix-lockfile")
    else:
        print(
            f"Lockfile: {status.lockfile} {'agrees with the graph' if status.lockfile_ok else 'disagrees with the graph'}"
        )
    print()
    if status.pending:
        print("Pending deletions (phase 2 is due once phase 1 has deployed):")
        for item in status.pending:
            where = f"{item.table}.{item.column}" if item.column else item.table
            print(f"  {item.target}  [{item.kind}, {where}]  moved by {item.migration}")
            print(f"      next: {item.command}")
    else:
        print("Pending deletions: none")
    for problem in status.problems:
        print(f"warning: {problem}", file=sys.stderr)
    return 0


def _recipe(module: str, function: str, arguments: Callable[[argparse.Namespace], tuple]):
    """A handler that plans with ``migrate_assistant.recipes.<module>.<function>`` (imported when run)."""

    def handler(args) -> int:
        plan = getattr(importlib.import_module(f"migrate_assistant.recipes.{module}"), function)
        project = _project(args)
        return _finish(project, plan(project, *arguments(args)), args)

    return handler


def _check(args) -> int:
    from migrate_assistant.checks import RULES
    from migrate_assistant.recipes.check import run_check

    report = run_check(_project(args), args.paths)
    if args.format == "json":
        print(
            json.dumps(
                {
                    "checked": report.checked,
                    "findings": [finding.as_json() for finding in report.findings],
                    "suppressed": [finding.as_json() for finding in report.suppressed],
                    "rules": RULES,
                },
                indent=2,
            )
        )
    elif args.format == "github":
        for finding in report.findings:
            print(_annotation("error", finding))
        for finding in report.suppressed:
            print(_annotation("notice", finding))
    else:
        for finding in report.findings + report.suppressed:
            tag = f" [suppressed: {finding.suppressed}]" if finding.suppressed else ""
            print(f"{finding.path}:{finding.line}: {finding.rule} {finding.message}{tag}")
            if not finding.suppressed:
                print(f"    fix: {finding.fix}")
                if finding.command:
                    print(f"    run: {finding.command}")
        count = len(report.findings)
        print(
            f"{count} finding{'s' if count != 1 else ''} in {len(report.checked)} migration"
            f"{'s' if len(report.checked) != 1 else ''} checked"
            + (f" ({len(report.suppressed)} suppressed)" if report.suppressed else ""),
            file=sys.stderr,
        )
    return 1 if report.findings else 0


def _annotation(level: str, finding) -> str:
    def escape(text: str, properties: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if properties else text

    title = finding.rule + (f" suppressed: {finding.suppressed}" if finding.suppressed else "")
    title = escape(title, True)
    body = f"{finding.message}. Fix: {finding.fix}" + (f" Run: {finding.command}" if finding.command else "")
    return f"::{level} file={escape(finding.path, True)},line={finding.line},title={title}::{escape(body)}"


def _sqlmigrate(args) -> int:
    from .django_runner import sqlmigrate

    project = _project(args)
    project.app(args.app)
    names = project.index.graph.app_names(args.app)
    if not any(name.startswith(args.migration) for name in names):
        raise AssistantError(f"app '{args.app}' has no migration named {args.migration}*")
    sys.stdout.write(sqlmigrate(project, args.app, args.migration))
    return 0


def _fix_lockfile(args) -> int:
    from migrate_assistant.recipes.fix_lockfile import plan_fix_lockfile

    project = _project(args)
    plan = plan_fix_lockfile(project)
    if not plan.edits:
        print("Nothing to fix: " + "; ".join(plan.warnings))
        return 0
    return _finish(project, plan, args)


def _finish(project, plan, args) -> int:
    """Print a plan's warnings, then its diff (dry run) or write it; with ``--verify``, only once
    Django agrees with it on a scratch copy."""
    from .plan_check import check_plan_compiles, verify_with_django

    check_plan_compiles(plan)
    _print_warnings(plan)
    if args.sql:
        from .sql_preview import preview_sql

        for migration, sql in preview_sql(project, plan):
            print(f"-- SQL of {migration} (sqlmigrate)\n{sql.rstrip()}\n")
    if args.verify and plan.edits:
        print(f"verified: {verify_with_django(project, plan)}")
    if args.dry_run:
        sys.stdout.write(_colored(plan.diff()))
        print(f"Dry run: {len(plan.edits)} file(s) would change; nothing was written.", file=sys.stderr)
        return 0
    from .apply import apply_plan

    apply_plan(project.root, plan)
    for edit in plan.edits:
        verb, _, rest = edit.outcome.partition(" ")
        print(f"{verb:>8} {rest}")
    if plan.stage:
        print("Staged the result in git.")
    if plan.next_steps:
        print("\nNext:")
        for step in plan.next_steps:
            print(f"  - {step}")
    return 0


def _print_warnings(plan) -> None:
    for warning in plan.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for reference in plan.references[:MAX_REFERENCES]:
        print(f"  {reference}", file=sys.stderr)
    if len(plan.references) > MAX_REFERENCES:
        print(f"  ... and {len(plan.references) - MAX_REFERENCES} more", file=sys.stderr)


def _colored(diff: str) -> str:
    if not sys.stdout.isatty() or os.environ.get("NO_COLOR"):
        return diff
    colors = {"+": "\x1b[32m", "-": "\x1b[31m", "@": "\x1b[36m"}
    lines = []
    for line in diff.splitlines(keepends=True):
        color = None if line.startswith(("+++", "---")) else colors.get(line[:1])
        lines.append(f"{color}{line.rstrip(chr(10))}\x1b[0m\n" if color else line)
    return "".join(lines)


def _demo(args) -> int:
    import tempfile

    from .sample import build_sample_repo

    directory = args.directory or Path(tempfile.mkdtemp(prefix="migrate-assistant-demo-")) / "sentry"
    if directory.exists() and any(directory.iterdir()):
        raise UsageError(f"{directory} already exists and is not empty: choose a new directory")
    build_sample_repo(directory)
    print(f"Created a sample Sentry-shaped repository in {directory}")
    from .django_runner import run_django
    from .project import discover

    migrated = run_django(discover(directory), "migrate", "--no-input")
    if migrated.returncode == 0:
        print("Migrated its SQLite database (sample.sqlite3), so SQL previews work.")
    else:
        print(f"warning: could not migrate the sample's database:\n{migrated.stderr.strip()}", file=sys.stderr)
    if args.no_tui:
        print(f"Try: migrate-assistant --repo {directory} status")
        return 0
    return _open_assistant(directory)


def _open_assistant(repo: Path) -> int:
    from migrate_assistant.screens.app import run_assistant

    from .project import discover

    return run_assistant(discover(repo))


if __name__ == "__main__":
    raise SystemExit(main())
