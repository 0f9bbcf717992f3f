"""``migrate-assistant state``: the models as the migrations define them, read statically.

The JSON shape is fixed (other tools read it)::

    {"apps": {label: {"leaves": [...], "models": {Name: {"table": str, "fields": {name: {
        "class", "column", "null", "db_constraint", "to", "primary_key", "many_to_many"}}}},
        "pending_deletions": [{"target", "migration"}], "unreadable": [{"file", "line", "why"}]}}}
"""

from __future__ import annotations

from .errors import AssistantError
from .migration_state import FieldState, ModelState
from .project import Project
from .pysource import is_false, is_true
from .validators import check_identifier


def state_report(project: Project, selectors: list[str]) -> dict:
    """The state of the selected apps (``APP`` or ``APP.Model``; every app when none is given)."""
    index = project.index
    wanted: dict[str, set[str] | None] = {}
    for selector in selectors:
        pieces = selector.split(".")
        if len(pieces) > 2 or not all(pieces):
            raise AssistantError(f"malformed selector '{selector}': expected APP or APP.Model")
        for piece, what in zip(pieces, ("app label", "model name")):
            check_identifier(piece, what)
        app, model = pieces if len(pieces) == 2 else (selector, "")
        project.app(app)
        if not model:
            wanted[app] = None
        elif wanted.get(app, set()) is not None:
            wanted.setdefault(app, set()).add(model.lower())
    if not selectors:
        wanted = dict.fromkeys(sorted(project.apps))
    apps = {}
    for label, models in wanted.items():
        state = index.state(label)
        if models is not None:
            missing = sorted(models - set(state.models))
            if missing:
                raise AssistantError(f"no model {', '.join(missing)} in the migrations of {label}")
        apps[label] = {
            "leaves": index.graph.leaves(label),
            "models": {
                model.name: model_json(model, index.table(model))
                for key, model in sorted(state.models.items())
                if models is None or key in models
            },
            "pending_deletions": [
                {"target": item.target, "migration": f"{label}/{item.migration.name}"}
                for item in index.pending(label).values()
            ],
            "unreadable": [
                {"file": project.relative(item.path), "line": item.line, "why": item.why}
                for item in dict.fromkeys(index.unreadable(label, full=True))
            ],
        }
    return {"apps": apps}


def model_json(model: ModelState, table: str) -> dict:
    return {"table": table, "fields": {field.name: field_json(field) for field in model.fields.values()}}


def field_json(field: FieldState) -> dict:
    relation = field.is_relation
    m2m = field.is_many_to_many
    kwargs = field.kwargs
    return {
        "class": field.class_name,
        "column": None if m2m else field.column,
        "null": field.null,
        "db_constraint": relation and not is_false(kwargs.get("db_constraint")),
        "to": field.target if relation else None,
        "primary_key": is_true(kwargs.get("primary_key")),
        "many_to_many": m2m,
    }


def state_text(report: dict) -> str:
    """One block per model: its table, then one line per field."""
    lines = []
    for label, app in report["apps"].items():
        lines.append(f"{label}  (leaves: {', '.join(app['leaves']) or 'none'})")
        for name, model in app["models"].items():
            lines.append(f"  {label}.{name}  table {model['table']}")
            for field_name, field in model["fields"].items():
                details = [field["class"], f"column {field['column']}" if field["column"] else "no column"]
                if field["null"]:
                    details.append("null")
                if field["primary_key"]:
                    details.append("primary key")
                if field["to"]:
                    details.append(f"-> {field['to']}" + ("" if field["db_constraint"] else " (no constraint)"))
                lines.append(f"    {field_name}: {', '.join(details)}")
            lines.append("")
        for item in app["pending_deletions"]:
            lines.append(f"  pending deletion: {item['target']} (moved by {item['migration']})")
        for item in app["unreadable"]:
            lines.append(f"  unreadable: {item['file']}:{item['line']}: {item['why']}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
