"""What would break production during a deploy, found statically, with the safe recipe for each.

Which rules apply, and how their messages name the fix, is the convention's
(``conventions/``): Sentry's framework rules (MA003/MA004 Safe* operations,
MA008/MA009 SafeRunSQL and hints) only in a Sentry repository, django-safemigrate's
markers (MA022-MA024) only in one that uses it.

Every rule judges an operation against the migration state just before it: the
app's history up to the migration (its ancestors), then the migration's own
earlier operations. Only operations that reach the database are judged
(top-level ones and ``SeparateDatabaseAndState.database_operations``); state-only
operations move the state along.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .migration_files import DELETE, MigrationFile, Operation
from .migration_state import AppState, FieldState, apply_operation, default_table, replay
from .model_ancestry import column_class
from .project import Project
from .pysource import is_true, keyword_map, last_name, parse_source, read_source, string_value

MAX_IDENTIFIER_BYTES = 63
RULES = {
    "MA001": "plain RemoveField",
    "MA002": "plain DeleteModel",
    "MA003": "DELETE without an earlier MOVE_TO_PENDING",
    "MA004": "MOVE_TO_PENDING of something that is not ready for it",
    "MA005": "NOT NULL column added without db_default",
    "MA006": "rename of a database column or table",
    "MA007": "column type change",
    "MA008": "RunSQL where SafeRunSQL is required",
    "MA009": "operation without hints={'tables': [...]}",
    "MA010": "index on a large table in a deploy-time migration",
    "MA011": "identifier longer than 63 bytes",
    "MA012": "new model not imported by its models package",
    # graph and deployment rules (graph_rules.py, lifecycle.py)
    "MA013": "dependency on a migration that does not exist",
    "MA014": "another app's model used without a dependency that creates it",
    "MA015": "pre-deploy migration depending on a post-deploy one",
    "MA016": "lockfile with conflict markers or a stale entry",
    "MA017": "two leaves in an app",
    "MA018": "migration from the main branch edited or deleted",
    "MA019": "squash that loses pending deletions",
    "MA020": "phase 1 and phase 2 of the same deletion in one branch",
    "MA021": "phase 2 forgotten: phase 1 deployed long ago",
    # django-safemigrate (safemigrate_checks.py)
    "MA022": "migration without a django-safemigrate marker",
    "MA023": "before_deploy migration depending on an after_deploy one",
    "MA024": "drop in a migration that runs before the deploy",
}


@dataclass
class Finding:
    rule: str
    path: str
    line: int
    message: str
    fix: str
    command: str | None = None
    suppressed: str | None = None
    end_line: int = 0

    def as_json(self) -> dict:
        return {
            "rule": self.rule,
            "title": RULES[self.rule],
            "path": self.path,
            "line": self.line,
            "message": self.message,
            "fix": self.fix,
            "command": self.command,
            "suppressed": self.suppressed,
        }


@dataclass
class _Context:
    project: Project
    migration: MigrationFile
    path: str
    state: AppState
    findings: list[Finding] = field(default_factory=list)

    @property
    def app(self) -> str:
        return self.migration.app_label

    def report(self, rule: str, op: Operation, message: str, fix: str, command: str | None = None) -> None:
        if self.project.convention.applies(rule):
            self.findings.append(Finding(rule, self.path, op.line, message, fix, command, end_line=op.call.end_lineno))

    def model(self, name: str | None):
        return self.state.model(name or "")

    def label(self, model_name: str | None, field_name: str | None = None) -> str:
        model = self.model(model_name)
        parts = [self.app, model.name if model else (model_name or "?")] + ([field_name] if field_name else [])
        return ".".join(parts)


def check_migration(project: Project, migration: MigrationFile) -> list[Finding]:
    touched = {
        (op.text("model_name") or op.text("name") or op.text("old_name") or "").lower()
        for op in migration.walk_operations()
    }
    state = replay(
        project.index.graph,
        migration.app_label,
        touched - {""} | _renamed_from(migration),
        before=migration.key,
        state_only_pending=project.convention.state_only_pending,
    )
    context = _Context(project, migration, project.relative(migration.path), state)
    for op in migration.operations:
        _check(context, op, database=True)
        apply_operation(context.state, migration, op)
    if project.convention.applies("MA022"):
        from .safemigrate_checks import check_markers

        context.findings.extend(check_markers(project, migration, context.path))
    return context.findings


def _renamed_from(migration: MigrationFile) -> set[str]:
    return {(op.text("new_name") or "").lower() for op in migration.walk_operations() if op.kind == "RenameModel"}


def _check(context: _Context, op: Operation, database: bool) -> None:
    if op.kind == "SeparateDatabaseAndState":
        for nested in op.database_operations:
            _check(context, nested, database=True)
        return
    if not database:
        return
    rule = _RULES_BY_KIND.get(op.kind)
    if rule:
        rule(context, op)
    _check_identifiers(context, op)


# MA001 / MA002 --------------------------------------------------------------------


def _plain_remove_field(context: _Context, op: Operation) -> None:
    model, name = op.text("model_name"), op.text("name")
    if ((model or "").lower(), (name or "").lower()) in context.state.restored:
        return  # the drop of a column left behind by a state-only removal
    label = context.label(model, name)
    convention = context.project.convention
    context.report(
        "MA001",
        op,
        f"RemoveField drops the column of {label} while the code being replaced still reads it: "
        + convention.refused_by,
        convention.remove_fix("field"),
        _fix_command(context),
    )


def _plain_delete_model(context: _Context, op: Operation) -> None:
    if ((op.text("name") or "").lower(), None) in context.state.restored:
        return  # the drop of a table left behind by a state-only removal
    label = context.label(op.text("name"))
    convention = context.project.convention
    context.report(
        "MA002",
        op,
        f"DeleteModel drops the table of {label} while the code being replaced still uses it: " + convention.refused_by,
        convention.remove_fix("model"),
        _fix_command(context),
    )


def _fix_command(context: _Context) -> str | None:
    if context.project.convention.drops_in_same_pr:
        return None  # fix-migration writes phase 1 only; django-safemigrate wants both migrations in this PR
    return f"migrate-assistant fix-migration {context.path}"


# MA003 / MA004 ----------------------------------------------------------------------


def _safe_remove_field(context: _Context, op: Operation) -> None:
    model, name = op.text("model_name") or "", op.text("name") or ""
    label = context.label(model, name)
    if op.deletion_action == DELETE:
        if (model.lower(), name.lower()) not in context.state.pending:
            context.report(
                "MA003",
                op,
                f"SafeRemoveField(DELETE) of {label}, which no earlier migration moved to pending deletion",
                "First ship SafeRemoveField(..., deletion_action=DeletionAction.MOVE_TO_PENDING) and let it deploy; "
                "only then drop the column with DELETE.",
                f"migrate-assistant remove-field {label} --phase 1",
            )
        return
    state = context.model(model)
    field = state.field(name) if state else None
    if field is None:
        return
    problems = []
    if field.db_constraint:
        problems.append("it still has a foreign key constraint (set db_constraint=False first)")
    if not field.null and not field.has_db_default:
        problems.append("it is NOT NULL without db_default (set null=True first)")
    if problems:
        context.report(
            "MA004",
            op,
            f"SafeRemoveField(MOVE_TO_PENDING) of {label}, but {' and '.join(problems)}: old code would fail to insert rows",
            "Put an AlterField before it in the same migration: db_constraint=False for a foreign key, null=True "
            "for a NOT NULL column without db_default.",
            f"migrate-assistant remove-field {label} --phase 1",
        )


def _safe_delete_model(context: _Context, op: Operation) -> None:
    name = op.text("name") or ""
    label = context.label(name)
    if op.deletion_action == DELETE:
        if (name.lower(), None) not in context.state.pending:
            context.report(
                "MA003",
                op,
                f"SafeDeleteModel(DELETE) of {label}, which no earlier migration moved to pending deletion",
                "First ship SafeDeleteModel(..., deletion_action=DeletionAction.MOVE_TO_PENDING) and let it deploy; "
                "only then drop the table with DELETE.",
                f"migrate-assistant remove-model {label} --phase 1",
            )
        return
    state = context.model(name)
    constrained = [f.name for f in state.fields.values() if f.db_constraint] if state else []
    if constrained:
        context.report(
            "MA004",
            op,
            f"SafeDeleteModel(MOVE_TO_PENDING) of {label}, but these foreign keys still have database constraints: "
            f"{', '.join(constrained)}",
            "Put an AlterField with db_constraint=False for each of them before it, in the same migration.",
            f"migrate-assistant remove-model {label} --phase 1",
        )


# MA005 -----------------------------------------------------------------------------


def _add_field(context: _Context, op: Operation) -> None:
    node = op.args.get("field")
    if not isinstance(node, ast.Call):
        return
    kwargs = keyword_map(node)
    if is_true(kwargs.get("null")) or "db_default" in kwargs or "ManyToMany" in (last_name(node.func) or ""):
        return
    label = context.label(op.text("model_name"), op.text("name"))
    with_default = "default" in kwargs
    context.report(
        "MA005",
        op,
        f"AddField adds {label} as a NOT NULL column without db_default"
        + (": default= is applied by Django, not the database, so inserts from old code fail" if with_default else ""),
        "Use db_default=<value> (the database fills the column, also for old code) instead of default=, "
        "or make the column nullable (null=True).",
    )


# MA006 -----------------------------------------------------------------------------


def _rename_field(context: _Context, op: Operation) -> None:
    model, old, new = op.text("model_name"), op.text("old_name"), op.text("new_name")
    state = context.model(model)
    field = state.field(old or "") if state else None
    if field is None or not new or "db_column" in field.kwargs or field.is_many_to_many:
        return
    new_column = f"{new}_id" if field.is_relation else new
    label = context.label(model, old)
    context.report(
        "MA006",
        op,
        f"RenameField renames the column {field.column} of {label} to {new_column}: running code still uses the old name",
        f'Rename in Django only: AlterField with db_column="{field.column}" first, then RenameField.',
        f"migrate-assistant rename-field {label} {new}",
    )


def _rename_model(context: _Context, op: Operation) -> None:
    old, new = op.text("old_name"), op.text("new_name")
    state = context.model(old)
    if state is None or state.db_table is not None or not new:
        return
    new_table = default_table(context.app, new)
    context.report(
        "MA006",
        op,
        f"RenameModel renames the table {state.table} to {new_table}: running code still uses the old name",
        f'Rename in Django only: pin Meta.db_table = "{state.table}" and make RenameModel state-only '
        "(SeparateDatabaseAndState(state_operations=[...])).",
        f"migrate-assistant rename-model {context.label(old)} {new}",
    )


def _alter_model_table(context: _Context, op: Operation) -> None:
    state = context.model(op.text("name"))
    table = string_value(op.args.get("table")) or default_table(context.app, op.text("name") or "")
    if state is not None and table != state.table:
        context.report(
            "MA006",
            op,
            f"AlterModelTable renames the table {state.table} to {table}: running code still uses the old name",
            "Keep the table: set Meta.db_table to the current name instead of renaming it.",
        )


# MA007 -----------------------------------------------------------------------------


def _alter_field(context: _Context, op: Operation) -> None:
    state = context.model(op.text("model_name"))
    old = state.field(op.text("name") or "") if state else None
    new = op.args.get("field")
    if old is None or not isinstance(new, ast.Call) or old.call is None:
        return
    change = _type_change(context, old, new)
    if change:
        label = context.label(op.text("model_name"), op.text("name"))
        context.report(
            "MA007",
            op,
            f"AlterField changes the column type of {label} ({change}): PostgreSQL rewrites the whole table under a lock",
            "Add a new column with the new type, write to both, backfill, switch reads, then remove the old column "
            "(migrate-assistant remove-field). Safe in place: a wider varchar, varchar → text, numeric with more "
            "precision and the same scale.",
        )


_TYPE_KWARGS = ("max_length", "max_digits", "decimal_places", "base_field", "size", "dimension")
# Django's implicit max_length of its varchar fields (tests/checks/test_column_types.py compares with Django).
VARCHAR_FIELDS = {
    "CharField": None,
    "URLField": 200,
    "EmailField": 254,
    "SlugField": 50,
    "FileField": 100,
    "ImageField": 100,
    "FilePathField": 100,
}
IMPLICIT_MAX_LENGTH = {
    **{name: length for name, length in VARCHAR_FIELDS.items() if length},
    "IPAddressField": 15,
    "GenericIPAddressField": 39,
}


def _type_change(context: _Context, old: FieldState, new: ast.Call) -> str | None:
    """How the column type changes, or ``None`` when it keeps its type or only widens."""
    old_class, new_class = old.class_name, last_name(new.func) or ""
    old_kwargs, new_kwargs = old.kwargs, keyword_map(new)
    old_args = {k: ast.dump(old_kwargs[k]) for k in _TYPE_KWARGS if k in old_kwargs}
    new_args = {k: ast.dump(new_kwargs[k]) for k in _TYPE_KWARGS if k in new_kwargs}
    if ast.dump(old.call.func) == ast.dump(new.func) and old_args == new_args:
        return None
    index = context.project.index
    old_column, old_why = column_class(index.ancestry, index.migration_module(old.origin), old.call.func)
    new_column, new_why = column_class(index.ancestry, index.migration_module(context.migration), new.func)
    before = _described(old_class, {k: old_kwargs[k] for k in old_args})
    after = _described(new_class, {k: new_kwargs[k] for k in new_args})
    if old_column is None or new_column is None:
        return f"{before} → {after}; {old_why or new_why}"
    if old_column == new_column and _effective(old_column, old_kwargs) == _effective(new_column, new_kwargs):
        return None
    if old_column in VARCHAR_FIELDS and new_column in VARCHAR_FIELDS:
        old_length, new_length = _max_length(old_column, old_kwargs), _max_length(new_column, new_kwargs)
        if new_length is None or (old_length is not None and new_length >= old_length):
            return None
    if old_column in VARCHAR_FIELDS and new_column == "TextField":
        return None
    if (
        old_column == new_column == "DecimalField"
        and _number(new_kwargs, "decimal_places") == _number(old_kwargs, "decimal_places")
        and _number(new_kwargs, "max_digits") >= _number(old_kwargs, "max_digits")
    ):
        return None
    return f"{before} → {after}"


def _effective(column: str, kwargs: dict) -> dict:
    """The type arguments with Django's implicit max_length filled in."""
    found = {k: ast.dump(kwargs[k]) for k in _TYPE_KWARGS if k in kwargs}
    if "max_length" not in found and column in IMPLICIT_MAX_LENGTH:
        found["max_length"] = ast.dump(ast.Constant(IMPLICIT_MAX_LENGTH[column]))
    return found


def _max_length(column: str, kwargs: dict) -> float | None:
    """The varchar's length (``None``: unlimited, a CharField without max_length on PostgreSQL)."""
    if "max_length" not in kwargs:
        return IMPLICIT_MAX_LENGTH.get(column)
    if isinstance(kwargs["max_length"], ast.Constant) and kwargs["max_length"].value is None:
        return None
    return _number(kwargs, "max_length")


def _described(class_name: str, arguments: dict) -> str:
    if not arguments:
        return class_name
    return f"{class_name}({', '.join(f'{k}={ast.unparse(v)}' for k, v in arguments.items())})"


def _number(kwargs: dict, name: str) -> float:
    """A literal number argument; NaN (never equal, never larger) when it is not a literal."""
    node = kwargs.get(name)
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) else float("nan")


# MA008 / MA009 ------------------------------------------------------------------------


def _run_sql(context: _Context, op: Operation) -> None:
    if "safe-run-sql" in context.project.imports and op.kind == "RunSQL":
        context.report(
            "MA008",
            op,
            "RunSQL runs outside the migration safety framework: no lock or statement timeouts, no checks",
            "Use SafeRunSQL (same arguments) and get the SQL reviewed by owners-migrations; prefer Django operations.",
        )
    _hints(context, op)


def _hints(context: _Context, op: Operation) -> None:
    hints = op.args.get("hints")
    tables = (
        {string_value(k): v for k, v in zip(hints.keys, hints.values)}.get("tables")
        if isinstance(hints, ast.Dict)
        else None
    )
    if tables is None:
        context.report(
            "MA009",
            op,
            f"{op.kind} has no hints={{'tables': [...]}}: the router cannot pick the database (silo) it runs on",
            'Add hints={"tables": ["<table>", ...]} listing every table it reads or writes.',
        )


# MA010 / MA012 -------------------------------------------------------------------------


def _add_index(context: _Context, op: Operation) -> None:
    state = context.model(op.text("model_name"))
    if state is None or state.table not in context.project.config.large_tables:
        return
    convention = context.project.convention
    if convention.runs_after_deploy(context.migration):
        return
    context.report(
        "MA010",
        op,
        f"AddIndex on {state.table}, a large table, in a deploy-time migration: {convention.index_problem}",
        convention.index_fix(),
    )


def _create_model(context: _Context, op: Operation) -> None:
    name = op.text("name") or ""
    index = context.project.index
    for model in index.classes_named(name):
        if (model.app_label or index.app_of(model.path)) != context.app or model.path.name == "__init__.py":
            continue
        package_init = model.path.parent / "__init__.py"
        if model.path.name == "models.py" or not package_init.is_file():
            continue
        module = model.path.stem
        if _package_imports(package_init, module, name):
            continue
        context.report(
            "MA012",
            op,
            f"{context.app}.{name} is defined in {context.project.relative(model.path)} but its models package does "
            f"not import it: Django (and the tests) will not see the model",
            f'Add `from .{module} import {name}` (and "{name}" in __all__) to {context.project.relative(package_init)}.',
        )


# MA011 --------------------------------------------------------------------------------


def _package_imports(init, module: str, name: str) -> bool:
    """Whether a package ``__init__.py`` imports ``name`` (or everything) from its ``module``."""
    tree = parse_source(read_source(init), init)
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[-1] == module:
            if any(alias.name in (name, "*") for alias in node.names):
                return True
    return False


def _check_identifiers(context: _Context, op: Operation) -> None:
    names = []
    if op.kind == "CreateModel":
        options = op.args.get("options")
        table = None
        if isinstance(options, ast.Dict):
            table = string_value(dict(zip(map(string_value, options.keys), options.values)).get("db_table"))
        names.append(table or default_table(context.app, op.text("name") or ""))
        fields = op.args.get("fields")
        for item in fields.elts if isinstance(fields, (ast.List, ast.Tuple)) else []:
            if isinstance(item, ast.Tuple) and len(item.elts) == 2:
                names.append(
                    string_value(keyword_map(item.elts[1]).get("db_column"))
                    if isinstance(item.elts[1], ast.Call)
                    else None
                )
                names.append(string_value(item.elts[0]))
    elif op.kind in ("AddField", "AlterField"):
        names.append(op.text("name"))
        if isinstance(op.args.get("field"), ast.Call):
            names.append(string_value(keyword_map(op.args["field"]).get("db_column")))
    elif op.kind == "RenameField":
        names.append(op.text("new_name"))
    elif op.kind in ("AddIndex", "AddConstraint"):
        node = op.args.get("index") or op.args.get("constraint")
        names.append(string_value(keyword_map(node).get("name")) if isinstance(node, ast.Call) else None)
    elif op.kind in ("RemoveIndex", "RemoveConstraint", "RenameIndex"):
        names.append(op.text("name") or op.text("new_name"))
    for name in names:
        if name and len(name.encode("utf-8")) > MAX_IDENTIFIER_BYTES:
            context.report(
                "MA011",
                op,
                f"PostgreSQL identifier '{name}' is {len(name.encode('utf-8'))} bytes long, over the 63-byte limit: "
                "PostgreSQL would truncate it silently",
                "Choose a shorter name (db_table / db_column / the index or constraint name).",
            )


_RULES_BY_KIND = {
    "RemoveField": _plain_remove_field,
    "DeleteModel": _plain_delete_model,
    "SafeRemoveField": _safe_remove_field,
    "SafeDeleteModel": _safe_delete_model,
    "AddField": _add_field,
    "RenameField": _rename_field,
    "RenameModel": _rename_model,
    "AlterModelTable": _alter_model_table,
    "AlterField": _alter_field,
    "RunSQL": _run_sql,
    "SafeRunSQL": _hints,
    "RunPython": _hints,
    "AddIndex": _add_index,
    "CreateModel": _create_model,
}
