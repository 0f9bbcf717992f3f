"""Parse ``app.Model.field`` / ``app.Model`` targets and find them in the index."""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from .errors import AssistantError
from .migration_state import FieldState, ModelState
from .model_index import FieldSource, ModelSource
from .project import Project
from .validators import check_identifier


def split_target(text: str, parts: int, argument: str = "target") -> list[str]:
    """``APP.Model`` (2 parts) or ``APP.Model.field`` (3 parts), each a valid identifier. Refusals here
    and in ``resolve_*`` name ``argument`` (see ``AssistantError``); the index's own name none."""
    shape = "APP.Model.field" if parts == 3 else "APP.Model"
    pieces = text.split(".")
    if len(pieces) != parts or not all(pieces):
        raise AssistantError(f"malformed target '{text}': expected {shape}", argument=argument)
    for piece, what in zip(pieces, ("app label", "model name", "field name")):
        check_identifier(piece, what, argument=argument)
    return pieces


@dataclass
class ModelRef:
    app_label: str
    source: ModelSource
    state: ModelState | None

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def label(self) -> str:
        return f"{self.app_label}.{self.name}"


@dataclass
class FieldRef:
    model: ModelRef
    name: str
    source: FieldSource
    state: FieldState | None

    @property
    def label(self) -> str:
        return f"{self.model.label}.{self.name}"


def not_migrated(ref: ModelRef | FieldRef, argument: str = "target") -> AssistantError:
    """The refusal for a model or field the code has and its app's migrations do not have yet."""
    where = "model" if isinstance(ref, FieldRef) else "code"
    return AssistantError(
        f"{ref.label} is in the {where} but not in the migrations: run makemigrations for it first", argument=argument
    )


def resolve_model(project: Project, app_label: str, name: str, argument: str = "target") -> ModelRef:
    project.app(app_label, argument)
    index = project.index
    source = index.model_source(app_label, name)
    if source is None:
        live = index.live_models(app_label).get(name.lower())
        if live is not None:  # in the migrations, with no concrete class read statically: say why
            missing = index.classless_model(app_label, live)
            raise AssistantError(
                f"{app_label}.{live} has no model class the assistant can change ({missing.badge}: {missing.why}), "
                "so nothing is planned for it",
                argument=argument,
            )
        known = [m.name for m in index.models.get(app_label, []) if m.concrete]
        raise AssistantError(f"unknown model '{name}' in app '{app_label}'" + _suggest(name, known), argument=argument)
    return ModelRef(app_label, source, index.model_state(app_label, source.name))


def resolve_field(project: Project, text: str) -> FieldRef:
    app_label, model_name, field_name = split_target(text, 3)
    model = resolve_model(project, app_label, model_name)
    source = model.source.field(field_name)
    if source is None:
        if field_name in model.source.inherited:
            raise AssistantError(
                f"{model.label}.{field_name} is inherited from the abstract model "
                f"{model.source.inherited[field_name]}: it cannot be changed on {model.name} alone",
                argument="target",
            )
        raise AssistantError(
            f"unknown field '{field_name}' on {model.label}"
            + _suggest(field_name, list(model.source.fields))
            + _incomplete(model.source),
            argument="target",
        )
    state = model.state.field(field_name) if model.state else None
    return FieldRef(model, field_name, source, state)


def _incomplete(source: ModelSource) -> str:
    if source.complete:
        return ""
    return "; its fields may be incomplete: " + "; ".join(source.unresolved)


def _suggest(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=3, cutoff=0.5) or [k for k in known if k.lower() == name.lower()]
    if close:
        return f" (did you mean {', '.join(close)}?)"
    return f" (known: {', '.join(sorted(known))})" if known and len(known) <= 20 else ""
