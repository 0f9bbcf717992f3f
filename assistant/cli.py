"""The command line: ``migrate-assistant [--repo DIR] COMMAND``.

With no command it opens the terminal assistant. Every recipe is also a
subcommand that prints its plan and writes it (or, with ``--dry-run``, only
prints the diff). Exit codes: 0 done, 1 refused or failed (nothing written),
2 usage error. Textual is imported only to open the assistant.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import sys
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from pathlib import Path

from . import __version__
from .errors import AssistantError, UsageError, within

MAX_REFERENCES = 25
REPO_HELP = "repository (default: the current directory, walking up to the git root)"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migrate-assistant",
        description="Safe multi-phase Django schema changes, for Sentry-style, django-safemigrate and plain Django "
        "projects.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--repo", metavar="DIR", type=Path, default=argparse.SUPPRESS, help=REPO_HELP)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    status = commands.add_parser("status", help="apps, lockfile health and pending deletions")
    status.add_argument("--format", choices=("text", "json"), default="text")
    _deployment_options(status)
    status.set_defaults(handler=_status)

    state = commands.add_parser("state", help="the models as the migrations define them, read statically")
    state.add_argument("selectors", nargs="*", metavar="APP[.Model]", help="apps or models (default: every app)")
    state.add_argument("--format", choices=("text", "json"), default="text")
    state.set_defaults(handler=_state)

    remove = commands.add_parser("remove-field", help="remove a column in two deploys")
    remove.add_argument("targets", nargs="+", metavar="APP.Model.field")
    _phase_options(remove)
    remove.set_defaults(
        handler=_stackable(
            _recipe("remove_field", "plan_remove_fields", lambda a: (a.targets, a.phase, a.name, a.force))
        )
    )

    remove_model = commands.add_parser("remove-model", help="remove a model (its table) in two deploys")
    remove_model.add_argument("targets", nargs="+", metavar="APP.Model")
    _phase_options(remove_model)
    remove_model.set_defaults(
        handler=_stackable(
            _recipe("remove_model", "plan_remove_models", lambda a: (a.targets, a.phase, a.name, a.force))
        )
    )

    remove_both = commands.add_parser("remove", help="remove fields and models together, one migration per app")
    remove_both.add_argument("targets", nargs="+", metavar="APP.Model[.field]")
    _phase_options(remove_both)
    remove_both.set_defaults(
        handler=_stackable(_recipe("remove", "plan_removals", lambda a: (a.targets, a.phase, a.name, a.force)))
    )

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

    add_index = commands.add_parser(
        "add-index", help="add a Meta index (run after the deploy on a large table; Sentry: is_post_deployment)"
    )
    add_index.add_argument("target", metavar="APP.Model")
    add_index.add_argument(
        "fields", nargs="+", metavar="FIELD", help="fields, -field for descending (put -- before a -field)"
    )
    add_index.add_argument("--name", help="index name (default: the name Django would give it)")
    _write_options(add_index)
    add_index.set_defaults(handler=_recipe("add_index", "plan_add_index", lambda a: (a.target, a.fields, a.name)))

    data = commands.add_parser(
        "data-migration",
        help="a RunPython migration run after the deploy, and its test (Sentry: is_post_deployment; "
        "django-safemigrate: Safe.after_deploy)",
    )
    data.add_argument("app", metavar="APP")
    data.add_argument("name", metavar="NAME", help="migration name, also the function's name")
    data.add_argument("--model", metavar="APP.Model", help="the model whose rows it changes")
    _write_options(data)
    data.set_defaults(handler=_recipe("data_migration", "plan_data_migration", lambda a: (a.app, a.name, a.model)))

    sql = commands.add_parser("sqlmigrate", help="the SQL of a migration, from the project's own Django")
    sql.add_argument("app", metavar="APP", nargs="?", help="without APP: every migration this branch adds")
    sql.add_argument("migration", metavar="MIGRATION", nargs="?", help="its name or number, e.g. 0008")
    sql.add_argument("--format", choices=("text", "markdown"), default="text", help="markdown: for a PR comment")
    sql.set_defaults(handler=_sqlmigrate)

    rewrite = commands.add_parser(
        "fix-migration",
        help="rewrite a new migration's RemoveField / DeleteModel as phase 1 (refused under django-safemigrate)",
    )
    rewrite.add_argument("path", metavar="PATH")
    _write_options(rewrite)
    rewrite.set_defaults(handler=_recipe("fix_migration", "plan_fix_migration", lambda a: (a.path,)))

    fix = commands.add_parser(
        "fix-lockfile",
        help="resolve migrations_lockfile.txt / max_migration.txt conflicts: renumber this branch's migrations",
    )
    fix.add_argument("--dry-run", action="store_true", help="print the renames and the diff, write nothing")
    fix.set_defaults(handler=_fix_lockfile, sql=False, verify=False)

    check = commands.add_parser("check", help="find what would break production in new migrations")
    check.add_argument("paths", nargs="*", metavar="PATH", help="migrations to check (default: this branch's)")
    check.add_argument("--format", choices=("text", "json", "github", "markdown"), default="text")
    check.add_argument(
        "--forgotten",
        action="store_true",
        help="only report pending deletions whose phase 1 deployed more than phase-2-after-days ago",
    )
    _deployment_options(check)
    check.set_defaults(handler=_check)

    demo = commands.add_parser("demo", help="create a sample repository and open the assistant on it")
    demo.add_argument("directory", nargs="?", type=Path, metavar="DIR", help="where to create it (must not exist)")
    demo.add_argument("--no-tui", action="store_true", help="only create the repository")
    demo.add_argument(
        "--convention",
        choices=("sentry", "plain", "safemigrate"),
        default="sentry",
        help="Sentry-shaped (default), plain Django (manage.py, max_migration.txt) or with django-safemigrate",
    )
    demo.set_defaults(handler=_demo)
    for name, command in commands.choices.items():
        if name != "demo":  # also after the command, where it is often typed
            command.add_argument("--repo", metavar="DIR", type=Path, default=argparse.SUPPRESS, help=REPO_HELP)
        command.formatter_class = argparse.RawDescriptionHelpFormatter
        command.epilog = "examples:\n" + "\n".join(
            f"  migrate-assistant {name} {example}".rstrip() for example in EXAMPLES[name]
        )
    return parser


EXAMPLES = {
    "status": ["", "--format json --deployed-ref 'deploy-*'"],
    "state": ["sentry.Project", "--format json"],
    "remove-field": [
        "sentry.Project.template_version --phase 1 --dry-run",
        "sentry.Organization.default_role --phase 2",
        "sentry.Project.template_version --stack",
    ],
    "remove-model": ["sentry.ProjectBookmark --phase 1", "sentry.ProjectBookmark --phase 2"],
    "remove": ["uptime.ProjectUptimeSubscription.owner_team sentry.ProjectTeam sentry.Team --phase 1"],
    "rename-field": ["sentry.Project.status state --sql"],
    "rename-model": ["sentry.Team Squad --dry-run"],
    "add-field": [
        'sentry.Project.tier "models.IntegerField(db_default=0)"',
        'sentry.Project.notes "models.TextField()" --nullable',
    ],
    "add-index": ["sentry.Team -- name -slug", "sentry.Team slug --name sentry_team_slug_idx"],
    "data-migration": ["sentry backfill_project_tier --model sentry.Project"],
    "sqlmigrate": ["sentry 0008", "--format markdown"],
    "fix-migration": ["src/sentry/migrations/1196_remove_old_stuff.py"],
    "fix-lockfile": ["--dry-run", ""],
    "check": ["", "src/sentry/migrations/1196_my_change.py --format github", "--forgotten --deployed-ref 'deploy-*'"],
    "demo": ["/tmp/sentry-sample --no-tui", "/tmp/shop --convention safemigrate --no-tui"],
}


def _phase_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--phase",
        type=int,
        choices=(1, 2),
        help="1: remove from Django's state, the column or table stays (Sentry: MOVE_TO_PENDING; django-safemigrate: "
        "with the drop, in the same PR), 2: drop it (required without --stack)",
    )
    parser.add_argument("--name", help="migration name, without the number (default: derived from the targets)")
    parser.add_argument(
        "--force",
        metavar="REASON",
        help="write phase 2 although phase 1 is known not to have deployed (the reason goes in the migration)",
    )
    _deployment_options(parser)
    parser.add_argument(
        "--stack",
        nargs="?",
        const="",
        metavar="NAME",
        help="write both phases as stacked branches NAME-phase-1 and NAME-phase-2 (default NAME: from the targets)",
    )
    parser.add_argument("--pr-dir", type=Path, metavar="DIR", help="with --stack: where the PR descriptions go")
    _write_options(parser)


def _deployment_options(parser: argparse.ArgumentParser) -> None:
    """Where "deployed" is read from; overrides database-url / deployed-ref of the configuration."""
    parser.add_argument("--database-url", metavar="URL", help="read django_migrations (read-only) of this database")
    parser.add_argument(
        "--deployed-ref", metavar="REF", help="the git ref production runs, or a tag pattern like 'deploy-*'"
    )


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
    parser.add_argument(
        "--format", choices=("text", "markdown"), default="text", help="markdown: the diff and SQL for a PR comment"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        return int(exit_.code or 0)
    try:
        if args.command == "demo" and hasattr(args, "repo"):
            raise UsageError("demo creates a new repository: name it as DIR (--repo is for an existing one)")
        args.repo = getattr(args, "repo", Path.cwd())
        _recover(args.repo)
        if args.command is None:
            return _open_assistant(args.repo)
        with _rare_collections():
            code = args.handler(args)
        try:
            sys.stdout.flush()
        except BrokenPipeError:  # `status | head -2`: the reader left after the command was done
            _discard_stdout()
        return code
    except AssistantError as error:
        root = getattr(args, "root", None)
        print(f"migrate-assistant: {within(str(error), root) if root else error}", file=sys.stderr)
        return error.exit_code
    except BrokenPipeError:  # the reader left while the command was still printing
        _discard_stdout()
        return 1
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"migrate-assistant: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("migrate-assistant: interrupted", file=sys.stderr)
        return 130


_RARE_COLLECTIONS = (200_000, 30, 30)


@contextmanager
def _rare_collections():
    """A command keeps most of what it builds: the cyclic garbage collector runs rarely while it runs (as
    mypy has it) instead of walking every header and syntax tree read so far a hundred times. Afterwards
    what it built joins the oldest generation (not collected there and then) and the thresholds are put back."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*_RARE_COLLECTIONS)
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        gc.set_threshold(*thresholds)


def run() -> int:
    """The program (``migrate-assistant``, ``python -m migrate_assistant``): ``main`` with dataclass code
    compiled once for all runs (``generated_code.py``), then the interpreter exits without a last
    collection walking every object left (Python promises no finalizer at exit; every file is written
    and closed by then)."""
    from . import generated_code

    generated_code.install()
    code = main()
    generated_code.save()
    gc.freeze()
    return code


def _discard_stdout() -> None:
    """Point stdout at /dev/null, so that Python's own flush at exit does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    os.close(devnull)


def _recover(repo: Path) -> None:
    """Undo a write a ``kill -9`` interrupted, before anything else (the stat of one path when there is none)."""
    from .journal import recover

    message = recover(repo)
    if message:
        print(f"migrate-assistant: {message}", file=sys.stderr)


@contextmanager
def _writer_lock(args):
    """One writer at a time: held from planning to the end of writing (not for a dry run)."""
    if getattr(args, "dry_run", True):
        yield
        return
    from .repo_lock import repository_lock

    def waiting(pid: int | None) -> None:
        who = f" (pid {pid})" if pid else ""
        print(f"migrate-assistant: waiting for another migrate-assistant{who} to finish writing", file=sys.stderr)

    with repository_lock(args.repo, waiting):
        yield


def _project(args):
    from .project import discover

    project = discover(args.repo)
    args.root = project.root  # the files its messages name are shown from here
    url, ref = getattr(args, "database_url", None), getattr(args, "deployed_ref", None)
    if url or ref:
        from dataclasses import replace

        project.config = replace(project.config, database_url=url, deployed_ref=ref)
    return project


def _status(args) -> int:
    from .deployments import deployment_source
    from .status import project_status

    project = _project(args)
    status = project_status(project, deployment_source(project))  # a source that fails is an error here
    if args.format == "json":
        print(json.dumps(status.as_json(), indent=2))
        return 0
    width = max([len(app.label) for app in status.apps] + [3])
    print(f"Repository: {status.root} ({status.convention_title})")
    print()
    for app in status.apps:
        leaf = app.leaf or (" + ".join(app.leaves) + "  (several leaves!)" if app.leaves else "(no migrations)")
        lock = ""
        if status.lockfile and app.tracked:
            lock = "lockfile ok" if app.lockfile_ok else f"lockfile says {app.locked or 'nothing'}"
        print(f"  {app.label:<{width}}  {leaf:<52} {lock}")
    print()
    if status.graph_problems:
        print("Migration graph: broken, Django cannot load it (every write command refuses until it is fixed):")
        for problem in status.graph_problems:
            print(f"  {problem}")
        print()
    unreadable = [(app.label, item) for app in status.apps for item in app.unreadable]
    if unreadable:
        print("Unreadable statically (recipes refuse the models that depend on these):")
        for label, item in unreadable:
            print(f"  {label}: {item['file']}:{item['line']}: {item['why']}")
        print()
    if status.lockfile is None:
        print("Lockfile: none")
    elif status.lockfile_conflicted:
        print(f"Lockfile: {status.lockfile_says('has', 'have')} conflict markers — run: migrate-assistant fix-lockfile")
    elif status.lockfile_ok:
        print(f"Lockfile: {status.lockfile_says('agrees', 'agree')} with the graph")
    else:
        print(f"Lockfile: {status.lockfile_says('disagrees', 'disagree')} with the graph")
    print()
    if status.pending:
        print("Pending deletions (phase 2 is due once phase 1 has deployed):")
        for item in status.pending:
            where = f"{item.table}.{item.column}" if item.column else item.table
            print(f"  {item.target}  [{item.kind}, {where}]  moved by {item.migration}")
            print(f"      next: {item.command}")
    else:
        print("Pending deletions: none")
    if status.lifecycle and status.lifecycle.items:
        from .lifecycle import text_lines

        print()
        print("\n".join(text_lines(status.lifecycle)))
    for lost in status.lost_by_squash:
        print(f"\nPending deletions lost by squash {lost.squash} ({lost.path}:{lost.line}): {', '.join(lost.targets)}")
        print("      their DELETE can never run: reproduce them in the squash (check: MA019)")
    for problem in status.problems:
        print(f"warning: {problem}", file=sys.stderr)
    for note in status.notes:
        print(f"note: {note}", file=sys.stderr)
    return 0


def _state(args) -> int:
    from .state_report import state_report, state_text

    project = _project(args)
    report = state_report(project, args.selectors)
    sys.stdout.write(json.dumps(report, indent=2) + "\n" if args.format == "json" else state_text(report))
    for problem in project.index.graph_problems:
        print(f"warning: broken migration graph: {problem}", file=sys.stderr)
    return 0


def _recipe(module: str, function: str, arguments: Callable[[argparse.Namespace], tuple]):
    """A handler that plans with ``migrate_assistant.recipes.<module>.<function>`` (imported when run)."""

    def handler(args) -> int:
        plan = getattr(importlib.import_module(f"migrate_assistant.recipes.{module}"), function)
        with _writer_lock(args):
            project = _project(args)
            return _finish(project, plan(project, *arguments(args)), args)

    return handler


def _stackable(handler):
    """A removal handler that, with ``--stack``, writes both phases as stacked branches instead."""

    def run(args) -> int:
        if args.stack is None:
            if args.phase is None:
                raise UsageError("the following arguments are required: --phase (or --stack)")
            if args.pr_dir:
                raise UsageError("--pr-dir goes with --stack")
            return handler(args)
        for flag, given in (
            ("--phase", args.phase),
            ("--dry-run", args.dry_run),
            ("--sql", args.sql),
            ("--verify", args.verify),
            ("--force", args.force),
        ):
            if given:
                raise UsageError(f"--stack writes both phases and commits them: it does not take {flag}")
        return _stack(args)

    return run


def _stack(args) -> int:
    from migrate_assistant.recipes.stack import stacked_removal

    from .stacked_branches import write_stack

    project = _project(args)
    phases = stacked_removal(args.command, args.targets, args.name, args.stack or None)
    written = write_stack(project, phases, args.pr_dir.resolve() if args.pr_dir else None)
    for phase in written:
        _print_warnings(phase.plan)
        print(f"{phase.branch}: {phase.commit} {phase.plan.title}")
        for edit in phase.plan.edits:
            verb, _, rest = edit.outcome.partition(" ")
            print(f"{verb:>12} {rest}")
        print(f"  PR description: {phase.description_path}")
    print(f"\nYou are on {written[0].branch}. Push both and open the PRs (phase 2 only after phase 1 has deployed):")
    print(f"  git push -u origin {' '.join(phase.branch for phase in written)}")
    for phase in written:
        print(
            f"  gh pr create --base {phase.base} --head {phase.branch} --title {_quoted(phase.plan.title)} "
            f"--body-file {_quoted(str(phase.description_path))}"
        )
    return 0


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)


def _check(args) -> int:
    from migrate_assistant.recipes.check import run_check, run_forgotten

    if args.forgotten and args.paths:
        raise UsageError("check --forgotten looks at every pending deletion: give no paths")
    report = run_forgotten(_project(args)) if args.forgotten else run_check(_project(args), args.paths)
    if report.unscoped:
        raise UsageError(report.unscoped)
    if args.format == "markdown":
        from .markdown import findings_markdown

        print(findings_markdown(report.findings, report.suppressed, len(report.checked)))
    elif args.format == "json":
        print(
            json.dumps(
                {
                    "checked": report.checked,
                    "findings": [finding.as_json() for finding in report.findings],
                    "suppressed": [finding.as_json() for finding in report.suppressed],
                    "problems": report.problems,
                    "skipped": report.skipped,
                    "rules": report.rules,
                },
                indent=2,
            )
        )
    elif args.format == "github":
        for problem in report.problems:
            path, line, why = problem.split(":", 2)
            print(f"::error file={path},line={line},title=broken migration graph::{why.strip()}")
        for finding in report.findings:
            print(_annotation("error", finding))
        for finding in report.suppressed:
            print(_annotation("notice", finding))
        for skipped in report.skipped:
            print(f"::notice::skipped {skipped}")
    else:
        for problem in report.problems:
            print(f"{problem} (the migration graph cannot be loaded)")
        for finding in report.findings + report.suppressed:
            tag = f" [suppressed: {finding.suppressed}]" if finding.suppressed else ""
            print(f"{finding.path}:{finding.line}: {finding.rule} {finding.message}{tag}")
            if not finding.suppressed:
                print(f"    fix: {finding.fix}")
                if finding.command:
                    print(f"    run: {finding.command}")
        for skipped in report.skipped:
            print(f"note: skipped {skipped}", file=sys.stderr)
        count = len(report.findings)
        print(
            f"{count} finding{'s' if count != 1 else ''} in {len(report.checked)} migration"
            f"{'s' if len(report.checked) != 1 else ''} checked"
            + (f" ({len(report.suppressed)} suppressed)" if report.suppressed else ""),
            file=sys.stderr,
        )
    return 1 if report.findings or report.problems else 0


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
    if args.app is not None and args.migration is None:
        raise UsageError("sqlmigrate: give APP and MIGRATION, or neither (this branch's new migrations)")
    if args.app is not None:
        project.app(args.app)
    problems = project.index.graph_problems
    if problems:
        raise AssistantError("the migration graph is broken, so Django cannot load it:\n  " + "\n  ".join(problems))
    if args.app is None:
        return _branch_sql(project, args.format)
    matches = [name for name in project.index.graph.app_names(args.app) if name.startswith(args.migration)]
    if not matches:
        raise AssistantError(f"app '{args.app}' has no migration named {args.migration}*")
    if len(matches) > 1:
        raise AssistantError(
            f"app '{args.app}' has several migrations named {args.migration}*: {', '.join(matches)}: be more specific"
        )
    [name] = matches
    _print_sql(project, lambda: [(f"{args.app}/{name}", sqlmigrate(project, args.app, args.migration))], args.format)
    return 0


def _branch_sql(project, output_format: str) -> int:
    from .check_scope import check_scope
    from .deployments import main_branch
    from .django_runner import sqlmigrate
    from .markdown import sql_markdown

    scope = check_scope(project, [])
    if scope.unscoped:
        raise UsageError(
            f"{project.root} is not a git repository, so there is no branch to compare with the main branch: "
            "name the migration (migrate-assistant sqlmigrate APP MIGRATION)"
        )
    main = main_branch(project)
    new = [(app, path.stem) for app, path in scope.files if not main.merged(project.relative(path))]
    if not new:  # Django need not be asked for its backend
        if output_format == "markdown":
            print(sql_markdown([], "SQL of this branch's migrations", ""))
        print("note: this branch adds no migration (none since the main branch)", file=sys.stderr)
        return 0
    load = lambda: [(f"{app}/{name}", sqlmigrate(project, app, name)) for app, name in new]  # noqa: E731
    _print_sql(project, load, output_format, "SQL of this branch's migrations")
    return 0


def _print_sql(project, load: Callable[[], list[tuple[str, str]]], output_format: str, title: str = "") -> None:
    """The SQL ``load()`` returns under a heading naming the backend it is for (asked meanwhile): as SQL
    comments, or Markdown."""
    from .django_runner import sql_heading
    from .markdown import sql_markdown
    from .sql_preview import with_backend

    items, backend = with_backend(project, load)
    if output_format == "markdown":
        print(sql_markdown(items, title or f"SQL of {items[0][0]}", sql_heading(backend)))
        return
    if items:
        print(f"-- {sql_heading(backend)}\n")
    for migration, sql_text in items:
        print(f"-- SQL of {migration} (sqlmigrate)\n{sql_text.rstrip()}\n")


def _fix_lockfile(args) -> int:
    from migrate_assistant.recipes.fix_lockfile import plan_fix_lockfile

    with _writer_lock(args):
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
    markdown = getattr(args, "format", "text") == "markdown"
    if args.sql:
        from .sql_preview import preview_sql

        _print_sql(
            project,
            lambda: preview_sql(project, plan),
            args.format if markdown else "text",
            "SQL of the planned migrations",
        )
    if args.verify and plan.edits:
        print(f"verified: {verify_with_django(project, plan)}")
    if args.dry_run:
        if markdown:
            print(f"\n### {plan.title}\n\n```diff\n{plan.diff().rstrip()}\n```")
        else:
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

    name = "sentry" if args.convention == "sentry" else "shop"
    directory = args.directory or Path(tempfile.mkdtemp(prefix="migrate-assistant-demo-")) / name
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        kind = "is not empty" if directory.is_dir() else "is a file"
        raise UsageError(f"{directory} already exists and {kind}: choose a new directory")
    _create_sample(directory, args.convention)
    shape = {"sentry": "Sentry-shaped", "plain": "plain Django", "safemigrate": "django-safemigrate"}
    print(f"Created a sample {shape[args.convention]} repository in {directory}")
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


def _create_sample(directory: Path, convention: str = "sentry") -> None:
    """Build the sample repository, or say why it cannot be (leaving nothing half-made)."""
    import shutil

    from .sample import build_sample_repo

    existing = directory.absolute()
    while not existing.exists():
        existing = existing.parent
    if not existing.is_dir() or not os.access(existing, os.W_OK) or not existing.stat().st_mode & 0o222:
        raise AssistantError(f"cannot create {directory}: {existing} is read-only (or not a directory)")
    created = not directory.exists()
    try:
        build_sample_repo(directory, convention=convention)
    except (OSError, ImportError) as exc:
        if created:
            shutil.rmtree(directory, ignore_errors=True)
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise AssistantError(f"could not create the sample repository in {directory} ({reason})") from None


def _open_assistant(repo: Path) -> int:
    """The terminal UI. Until the repository's first reading is shown, the cyclic garbage collector runs
    rarely (as for a command): Textual's import, the first screen and the reading build what stays."""
    thresholds = gc.get_threshold()
    gc.set_threshold(*_RARE_COLLECTIONS)
    try:
        from migrate_assistant.screens.app import run_assistant

        from .project import discover

        return run_assistant(discover(repo), thresholds)
    finally:
        gc.set_threshold(*thresholds)  # if the UI ended (or never started) before its first reading


if __name__ == "__main__":
    raise SystemExit(run())
