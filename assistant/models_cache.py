"""Each app's concrete models in brief (what the schema browser lists), kept in a ``ReadSetCache``
(``read_set_cache.py``): a second start then parses no models module when none changed.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

from .pysource import is_true, string_value

FORMAT = 3  # bump whenever what a summary holds, or how the index finds models, changes (2: summaries an
# assistant saved while two of its threads read at once could lack models; 3: inherited fields)


@dataclass(frozen=True)
class FieldSummary:
    name: str
    line: int
    class_name: str
    target: str | None  # the related model as written (``"sentry.Project"``), for a relation
    null: bool
    db_default: bool
    is_many_to_many: bool
    primary_key: bool
    inherited_from: str = ""  # the abstract ancestor that defines it ("" for the model's own field)
    path: str = ""  # that ancestor's file ("" for the model's own field)


@dataclass(frozen=True)
class ModelSummary:
    name: str
    path: Path
    line: int
    decorators: list[str]
    db_table: str | None
    fields: dict[str, FieldSummary]


def summarize(models: dict[str, list]) -> dict[str, list[ModelSummary]]:
    """The concrete models of ``RepositoryIndex.models``, in brief."""
    return {label: [_model(model) for model in found if model.concrete] for label, found in models.items()}


def _model(model) -> ModelSummary:
    """Its own fields, then those it inherits from abstract models (not an inherited auto primary key: like
    Django's implicit ``id``, it is no field one removes or renames)."""
    fields = {name: _field(source) for name, source in model.fields.items()}
    for name, source in model.ancestor_fields.items():
        if not ("primary_key" in source.kwargs and source.class_name.endswith("AutoField")):
            fields[name] = _field(source, model.inherited[name], str(model.ancestor_paths[name]))
    return ModelSummary(model.name, model.path, model.line, list(model.decorators), model.db_table, fields)


def _field(source, inherited_from: str = "", path: str = "") -> FieldSummary:
    kwargs = source.kwargs
    target = string_value(kwargs.get("to")) or (string_value(source.call.args[0]) if source.call.args else None)
    return FieldSummary(
        source.name,
        source.line,
        source.class_name,
        target,
        is_true(kwargs.get("null")),
        "db_default" in kwargs,
        source.is_many_to_many,
        "primary_key" in kwargs,
        inherited_from,
        path,
    )


def encoded(models: dict[str, list[ModelSummary]]) -> dict:
    """The summaries as JSON data (``decoded`` reads them back)."""
    return {label: [{**asdict(m), "path": str(m.path)} for m in summaries] for label, summaries in models.items()}


def decoded(data: dict) -> dict[str, list[ModelSummary]]:
    return {label: [_loaded(model) for model in found] for label, found in data.items()}


def _loaded(data: dict) -> ModelSummary:
    fields = {name: FieldSummary(**field) for name, field in data["fields"].items()}
    return ModelSummary(data["name"], Path(data["path"]), data["line"], data["decorators"], data["db_table"], fields)
