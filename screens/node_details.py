"""What the details pane says about the selected node; runs in a thread worker (it may replay a
model's migrations or grep for references), so it returns Rich text and touches no widget."""

from __future__ import annotations

import sys
import textwrap
from contextvars import ContextVar
from pathlib import Path

from rich.text import Text

from migrate_assistant.errors import AssistantError
from migrate_assistant.field_usage import referenced_fields
from migrate_assistant.pysource import string_value

from .schema_tree import APP, FIELD, MIGRATION, MIGRATIONS, MODEL, PENDING, Node

HEAD, MUTED, WARN, ERROR = "bold", "dim", "yellow", "bold red"


_WIDTH = ContextVar("width", default=sys.maxsize)  # the pane's width, which prose is wrapped to


def describe(project, node: Node, status=None, width: int | None = None) -> Text:
    """``width``: the pane's, to wrap prose to (identifiers and file:line are never broken)."""
    token = _WIDTH.set(width or sys.maxsize)
    try:
        return _describe(project, node, status)
    finally:
        _WIDTH.reset(token)


def _prose(text: Text, value: str, style: str = "", first: int = 0, indent: int = 0) -> None:
    """``value`` and a newline, wrapped at spaces to the pane's width: the first line starts ``first`` columns
    in, the next ones ``indent`` (a line of ``value`` of its own keeps its own indentation besides). A word wider
    than the line (an identifier, a path) stays whole: the pane scrolls sideways for it."""
    lines = []
    for number, line in enumerate(value.split("\n")):
        words = line.lstrip()
        own = indent + len(line) - len(words)
        start = first if number == 0 else own
        lines += textwrap.wrap(
            words,
            max(_WIDTH.get(), 30),
            initial_indent=" " * start,
            subsequent_indent=" " * own,
            break_long_words=False,
            break_on_hyphens=False,
        ) or [" " * start]
    text.append("\n".join(lines)[first:] + "\n", style)


def _describe(project, node: Node, status) -> Text:
    builder = {
        APP: _app,
        MODEL: _model,
        FIELD: _field,
        PENDING: _pending,
        MIGRATIONS: _migrations,
        MIGRATION: _migration,
    }
    return builder[node.kind](project, node, status)


def _title(text: Text, title: str, kind: str) -> None:
    text.append(title, HEAD)
    text.append(f"  {kind}\n", MUTED)


LABEL = 10  # the label column's width: a longer label widens its rows' column (two spaces always follow)


def _row(text: Text, label: str, value: str, style: str = "", width: int = LABEL) -> None:
    text.append(label.ljust(max(width, len(label) + 2)), MUTED)
    text.append(f"{value}\n", style)


APP_LABEL = len("migrations") + 2


def _app(project, node: Node, status) -> Text:
    text = Text()
    _title(text, node.key, "app")
    _row(text, "path", node.detail, width=APP_LABEL)
    app_status = next((a for a in status.apps if a.label == node.key), None) if status else None
    if app_status:
        _row(
            text,
            "leaf",
            " + ".join(app_status.leaves) or "(no migrations)",
            ERROR if len(app_status.leaves) > 1 else "",
            width=APP_LABEL,
        )
        if status.lockfile:
            locked = app_status.locked or "(no entry)"
            _row(text, "lockfile", locked, "" if app_status.lockfile_ok else ERROR, APP_LABEL)
    _row(text, "models", str(len(project.index.model_summaries.get(node.key, []))), width=APP_LABEL)
    _row(text, "migrations", str(len(project.index.graph.app_names(node.key))), width=APP_LABEL)
    for problem in project.index.problems(node.key):
        text.append("\n")
        _prose(text, f"⚠ {problem}", WARN, indent=2)
    _unreadable(project, text, node.unreadable)
    text.append("\nb: a data migration in this app (RunPython, run after the deploy, with its test)\n", MUTED)
    return text


def _classless(project, node: Node) -> Text:
    """A model of the migrations with no class read statically: why, and its fields as the migrations say."""
    missing = node.item
    text = Text()
    _title(text, node.key, "model")
    where = f"{project.relative(missing.path)}:{missing.line}" if missing.path else "no class found"
    _row(text, "file", where, "" if missing.path else WARN)
    text.append("\n")
    _prose(text, missing.why, WARN if missing.unknown else MUTED)
    if missing.unknown:
        _prose(text, "Nothing is planned for it: its removal and renaming need its class.", MUTED)
    try:
        state = project.index.model_state(node.app_label, missing.name)
    except AssistantError as error:
        _unreadable(project, text, node.unreadable)
        text.append("\n")
        _prose(text, str(error), WARN)
        return text
    if state is not None and state.proxy:
        bases = ", ".join(_model_label(project, base) for base in state.bases) or "its concrete base"
        _row(text, "proxy of", bases)
        _prose(text, "A proxy has no table or column of its own: its fields are those of the model it proxies.", MUTED)
        _unreadable(project, text, node.unreadable)
        return text
    _row(text, "table", project.index.table(state) if state else "?")
    _unreadable(project, text, node.unreadable)
    text.append("\nFields (from its migrations)\n", "bold underline")
    _fields(project, text, state)
    if not state.fields:
        text.append("  none\n", MUTED)
    return text


def _fields(project, text: Text, state) -> None:
    """One line a field: its classes aligned after the names, but never further than half the pane (a longer name
    pushes only its own line's class on)."""
    width = min(max((len(name) for name in state.fields), default=0), max(12, _WIDTH.get() // 2 - 4))
    for name, field in state.fields.items():
        text.append(f"  {name:<{width}}  ", "bold")
        text.append(field.class_name)
        flags = ["null" if field.null else "NOT NULL"]
        if field.has_db_default:
            flags.append("db_default")
        if field.is_relation and field.target:
            flags.append(f"→ {_model_label(project, field.target)}")
        text.append(f"  {' · '.join(flags)}\n", MUTED)


def _model(project, node: Node, status) -> Text:
    if hasattr(node.item, "badge"):
        return _classless(project, node)
    model = node.item
    text = Text()
    _title(text, node.key, "model")
    _row(text, "file", f"{project.relative(model.path)}:{model.line}")
    try:
        state = project.index.model_state(node.app_label, model.name)
    except AssistantError as error:  # unreadable or a broken graph: say where, show what is known
        _unreadable(project, text, node.unreadable)
        text.append("\n")
        _prose(text, str(error), WARN)
        return text
    _row(text, "table", state.table if state else (model.db_table or "(not in the migrations yet)"))
    if project.convention.assigns_silo:
        silo = next((d.rsplit(".", 1)[-1] for d in model.decorators if "silo" in d), "no silo decorator")
        _row(text, "silo", silo, "" if "silo" in silo and silo != "no silo decorator" else WARN)
    _unreadable(project, text, node.unreadable)
    text.append("\nFields\n", "bold underline")
    if state is None:
        text.append("not in the migrations yet: run makemigrations for it first\n", WARN)
    else:
        _fields(project, text, state)
        missing = [name for name in model.fields if name not in state.fields]
        if missing:
            text.append(f"  in the code only (no migration yet): {', '.join(missing)}\n", WARN)
    text.append("\nInbound relations\n", "bold underline")
    try:
        inbound = project.index.inbound_relations(node.app_label, model.name)
    except AssistantError as error:  # another app's migrations cannot be read: say where
        _prose(text, f"  {error}", WARN, indent=2)
        return text
    if not inbound:
        text.append("  none\n", MUTED)
    for app, other, field in inbound:
        text.append(f"  {app}.{other.name}.{field.name}", "bold")
        text.append(f"  {field.class_name}\n", MUTED)
    return text


def _model_label(project, target: str) -> str:
    """``app.model`` (the state's lower case) as the tree names the model: ``sentry.Organization``."""
    app, _, model = target.partition(".")
    names = {summary.name.lower(): summary.name for summary in project.index.model_summaries.get(app, [])}
    return f"{app}.{names[model]}" if model in names else target


def _field(project, node: Node, status) -> Text:
    from migrate_assistant.recipes.planning import Planner
    from migrate_assistant.references import field_searches

    source = node.item
    app, model_name, name = node.key.split(".")
    text = Text()
    _title(text, node.key, "field")
    path = Path(source.path) if source.path else project.index.model_source(app, model_name).path
    where = project.relative(path) if path.is_relative_to(project.root) else str(path)  # an ancestor in a package
    _row(text, "file", f"{where}:{source.line}")
    try:
        state = project.index.model_state(app, model_name)
    except AssistantError as error:  # its model's migrations cannot be read: say where, show the references
        state, unreadable = None, error
    else:
        unreadable = None
    field = state.field(name) if state else None
    if unreadable is not None:
        text.append("\n")
        _prose(text, str(unreadable), WARN)
    elif field is None:
        text.append("not in the migrations yet: run makemigrations for it first\n", WARN)
    else:
        _row(text, "column", f"{state.table}.{field.column}")
        _row(text, "class", field.class_name)
        _row(text, "null", "null" if field.null else "NOT NULL" + (" · db_default" if field.has_db_default else ""))
        if field.is_relation:
            constraint = "FK constraint" if field.db_constraint else "no FK constraint"
            target = _model_label(project, field.target) if field.target else "?"
            _row(text, "relation", f"→ {target} · {constraint}")
        aliases = {f.name: f.name for f in state.fields.values()}
        aliases.update({f.column: f.name for f in state.fields.values()})
        using = [
            f"{kind} {item.name}"
            for kind, items in (("index", state.indexes), ("constraint", state.constraints))
            for item in items
            if name in referenced_fields(item.expr, aliases)
        ]
        using += [f"unique_together {', '.join(names)}" for names in state.unique_together if name in names]
        text.append("\nIndexes and constraints using it\n", "bold underline")
        text.append("".join(f"  {line}\n" for line in using) or "  none\n", "" if using else MUTED)
    planner = Planner(project)
    planner.searches.extend(field_searches(node.key, name, model_name))
    planner.start_reference_scan()
    references = planner.references()
    text.append(f"\nCode references ({len(references)})\n", "bold underline")
    for reference in references[:30]:
        text.append(f"  {reference.path}:{reference.line}", WARN)
        text.append(f"  {reference.text.strip()}\n")
    if len(references) > 30:
        text.append(f"  … and {len(references) - 30} more\n", MUTED)
    if not references:
        text.append("  none outside migrations\n", MUTED)
    return text


PENDING_LABEL = len("deploy source") + 2
CONFIGURE_SOURCE = "deployed-ref (a git ref, or a tag pattern) or database-url in [tool.migrate-assistant]"


def _pending(project, node: Node, status) -> Text:
    deletion = node.item
    text = Text()
    _title(text, deletion.target, f"pending deletion ({deletion.kind})")
    for badge in node.badges:
        text.append(f"{badge.text}\n", ERROR if badge.tone == "error" else WARN)
    _row(text, "table", deletion.model_state.table, width=PENDING_LABEL)
    if deletion.field_state is not None:
        _row(text, "column", deletion.field_state.column, width=PENDING_LABEL)
    lifecycle = node.lifecycle
    if lifecycle is None:
        phase_1 = f"{deletion.app_label}/{deletion.migration.name} ({project.convention.pending_mark})"
        _row(text, "phase 1", phase_1, width=PENDING_LABEL)
    else:
        _lifecycle(text, lifecycle, status.lifecycle)
    text.append(
        f"\nPhase 2 ({project.convention.drop_mark(deletion.kind)}) drops it from the database. Write it once phase 1 has deployed everywhere: "
        "Enter plans it.\n"
    )
    command = "remove-field" if deletion.kind == "field" else "remove-model"
    next_command = lifecycle.command if lifecycle else f"migrate-assistant {command} {deletion.target} --phase 2"
    if next_command:
        text.append(f"\nnext: {next_command}\n", MUTED)
    return text


def _lifecycle(text: Text, lifecycle, report) -> None:
    """Phase 1 and phase 2, each written / merged / deployed with its date, and how long phase 2 has waited."""
    text.append("\nLifecycle\n", "bold underline")
    # which branch "merged" below means: not a status (each phase has its own)
    _row(text, "main branch", report.main_branch or "unknown: none found", width=PENDING_LABEL)
    # where "deployed" below is read from; without a source whether a phase has deployed is unknown, never guessed
    failed = report.description.startswith("unknown")
    if failed:
        _row(text, "deploy source", report.description, WARN, width=PENDING_LABEL)
    elif report.source is None:
        _row(text, "deploy source", "none configured: whether a phase has deployed is unknown", WARN, PENDING_LABEL)
        _row(text, "", f"set {CONFIGURE_SOURCE}", MUTED, width=PENDING_LABEL)
    else:
        _row(text, "deploy source", report.description, width=PENDING_LABEL)
    unknown = "the deployment source failed" if failed else "no deployment source configured"
    for number, phase in ((1, lifecycle.phase_1), (2, lifecycle.phase_2)):
        if phase is None:
            _row(text, f"phase {number}", "not written", WARN if lifecycle.forgotten else "", width=PENDING_LABEL)
            continue
        named = f"{phase.migration} ({phase.mark})" if phase.mark else phase.migration
        _row(text, f"phase {number}", named, width=PENDING_LABEL)
        for word, done, moment in (
            ("merged", phase.merged, phase.merged_at),
            ("deployed", phase.deployed, phase.deployed_at),
        ):
            why = phase.unknown or unknown
            step = f"whether deployed: unknown — {why}" if word == "deployed" and done is None else None
            _row(text, "", step or _step(word, done, moment), "" if done else MUTED, width=PENDING_LABEL)
    if lifecycle.waiting_days is not None:
        _row(
            text,
            "waiting",
            f"{lifecycle.waiting_days} days since phase 1 deployed",
            ERROR if lifecycle.forgotten else "",
            width=PENDING_LABEL,
        )
    if lifecycle.forgotten:
        text.append(
            f"Forgotten: phase 1 deployed more than {report.phase_2_after_days} days ago and no phase 2 is written\n",
            ERROR,
        )


def _step(word: str, done: bool | None, moment) -> str:
    if done is None:
        return f"{word}: unknown"
    if not done:
        return f"not {word}"
    return f"{word} {moment.date().isoformat()}" if moment else word


def _unreadable(project, text: Text, items: list) -> None:
    """What the static reader cannot determine here: nothing is planned that depends on it."""
    if not items:
        return
    text.append("\nUnreadable (nothing that depends on it is planned)\n", "bold underline")
    for item in items:
        where = f"  {project.relative(item.path)}:{item.line}  "
        text.append(where.rstrip(), ERROR)
        text.append("  ")
        _prose(text, item.why, first=len(where), indent=4)


def _migrations(project, node: Node, status) -> Text:
    text = Text()
    _title(text, f"{node.app_label} migrations", f"{node.detail} files, newest first")
    leaves = project.index.graph.leaves(node.app_label)
    _row(text, "leaf", " + ".join(leaves) or "(none)", ERROR if len(leaves) > 1 else "")
    return text


def _migration(project, node: Node, status) -> Text:
    migration = node.item
    text = Text()
    _title(text, node.key, "migration")
    _row(text, "file", project.relative(migration.path))
    depends = [f"{a}/{n}" for a, n in (d for d in migration.dependencies if d)]
    _row(text, "depends", ", ".join(depends) or "nothing")
    if migration.replaces:
        _row(text, "replaces", ", ".join(f"{a}/{n}" for a, n in migration.replaces))
    after = project.convention.runs_after_deploy(migration)
    _row(text, "deploy", "after the deploy" if after else "during the deploy")
    for finding in node.findings:
        text.append(f"\n{finding.rule}", ERROR)
        text.append(f" line {finding.line}: {finding.message}\n")
        text.append(f"  fix: {finding.fix}\n", MUTED)
        if finding.command:
            text.append(f"  {finding.command}\n", MUTED)
    text.append("\nOperations\n", "bold underline")
    for op in migration.operations:
        text.append(f"  {op.kind}", "bold")
        args = [
            f"{name}={string_value(value)}"
            for name, value in op.args.items()
            if string_value(value) and name not in ("sql", "reverse_sql")
        ]
        action = op.deletion_action
        if action:
            args.append(action)
        text.append(f"  {', '.join(args)}\n", MUTED)
    if not migration.operations:
        text.append("  none\n", MUTED)
    text.append("\ns: its SQL (the project's sqlmigrate)\n", MUTED)
    return text
