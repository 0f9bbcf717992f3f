"""The static index of a repository: migrations, their graph and state, and models.

Each part is built on first use, so ``status`` never parses a models module.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path

from .errors import AssistantError
from .header_cache import HeaderCache
from .migration_files import MigrationFile, read_migration
from .migration_graph import MigrationGraph
from .migration_state import AppState, FieldState, ModelState, PendingDeletion, pending_candidates, replay
from .model_index import ModelSource, inherited_fields, is_model, is_models_module, model_classes
from .project import Project
from .pysource import parse_source, read_source, string_value
from .reads import remember_listing, remember_stamp

_CLASS_NAME = re.compile(r"^class[ \t]+(\w+)", re.M)


class RepositoryIndex:
    def __init__(self, project: Project):
        self.project = project
        self._states: dict[tuple, AppState] = {}
        self._texts: dict[Path, str] = {}
        self._parsed: dict[Path, list[ModelSource]] = {}
        self._candidates: dict[str, frozenset[str]] = {}

    @cached_property
    def migrations(self) -> list[MigrationFile]:
        """Every migration file; headers come from the cache when the file is unchanged."""
        cache = HeaderCache(self.project.root)
        found = []
        for app in self.project.apps.values():
            folder = self.project.relative(app.migrations_dir)
            try:
                with os.scandir(app.migrations_dir) as entries:
                    files = sorted(
                        (entry for entry in entries if entry.name.endswith(".py") and entry.name[0] not in "_~"),
                        key=lambda entry: entry.name,
                    )
            except OSError as exc:
                raise AssistantError(f"{folder}: cannot read the migrations folder ({exc.strerror})") from None
            remember_listing(app.migrations_dir, [entry.name for entry in files])
            for entry in files:
                path = app.migrations_dir / entry.name
                info = entry.stat()
                stamp = (info.st_mtime_ns, info.st_size)
                remember_stamp(path, stamp)
                key = f"{folder}/{entry.name}"
                header = cache.get(key, stamp)
                if header is None:
                    migration = read_migration(app.label, path)
                    cache.put(key, stamp, migration.header)
                else:
                    migration = MigrationFile(app.label, path, header)
                found.append(migration)
        cache.save(self.project.root)
        return found

    @cached_property
    def graph(self) -> MigrationGraph:
        return MigrationGraph.build(self.migrations)

    def warm(self, progress=lambda message, fraction: None) -> None:
        """Build everything the assistant shows, reporting progress as (message, 0..1)."""
        progress("Reading the migration graph", 0.0)
        migrations = len(self.graph.nodes)
        labels = sorted(self.project.apps)
        for number, label in enumerate(labels):
            progress(
                f"Replaying the {migrations} migrations of {len(labels)} apps: {label}",
                0.2 + 0.5 * number / len(labels),
            )
            self.state(label)
            self.pending(label)
        progress("Indexing models", 0.7)
        models = sum(len(found) for found in self.models.values())
        progress(f"Ready: {migrations} migrations, {models} models", 1.0)

    def state(self, app_label: str, models: frozenset[str] | None = None) -> AppState:
        """The replayed state of an app, or of some of its models only (much faster)."""
        key = (app_label, models)
        if key not in self._states:
            self.project.app(app_label)
            self._states[key] = replay(self.graph, app_label, models)
        return self._states[key]

    def _pending_state(self, app_label: str) -> AppState | None:
        """The state of the models an app's Safe* operations name (``None`` when there are none)."""
        if app_label not in self._candidates:
            self._candidates[app_label] = frozenset(pending_candidates(self.graph, app_label))
        candidates = self._candidates[app_label]
        return self.state(app_label, candidates) if candidates else None

    def pending(self, app_label: str) -> dict:
        """Pending deletions of an app, keyed by (model, field or None)."""
        state = self._pending_state(app_label)
        return state.pending if state else {}

    @property
    def pending_deletions(self) -> list[PendingDeletion]:
        found = []
        for label in sorted(self.project.apps):
            found.extend(self.pending(label).values())
        return found

    def problems(self, app_label: str) -> list[str]:
        state = self._pending_state(app_label)
        return state.problems if state else []

    def inbound_relations(self, app_label: str, model_name: str) -> list[tuple[str, ModelState, FieldState]]:
        """Fields of any app's models that point at ``app_label.model_name`` (FK, O2O, M2M or M2M through).

        Only the files that mention ``"app.model"`` are parsed, and only the models they touch replayed.
        """
        target = f"{app_label}.{model_name}".lower()
        found = []
        for label in sorted(self.project.apps):
            touched = {
                (op.text("model_name") or op.text("name") or "").lower()
                for migration in self.graph.app_order(label)
                if target in migration.strings
                for op in migration.walk_operations()
            } - {""}
            if not touched:
                continue
            for model in self.state(label, frozenset(touched)).models.values():
                for field in model.fields.values():
                    through = string_value(field.kwargs.get("through"))
                    if field.is_relation and (field.target == target or (through or "").lower() == target):
                        found.append((label, model, field))
        return found

    def model_state(self, app_label: str, model_name: str) -> ModelState | None:
        return self.state(app_label, frozenset({model_name.lower()})).model(model_name)

    @cached_property
    def models_modules(self) -> list[Path]:
        return [path for path in self.project.python_files if is_models_module(path) and self.app_of(path)]

    def _text(self, path: Path) -> str:
        if path not in self._texts:
            self._texts[path] = read_source(path)
        return self._texts[path]

    def _classes(self, path: Path) -> list[ModelSource]:
        if path not in self._parsed:
            tree = parse_source(self._text(path), path)
            self._parsed[path] = model_classes(tree, self._module_of(path), path)
        return self._parsed[path]

    @cached_property
    def _class_files(self) -> dict[str, list[Path]]:
        """Lower-case class name → the models modules that define a top-level class of that name."""
        found: dict[str, list[Path]] = {}
        for path in self.models_modules:
            for name in _CLASS_NAME.findall(self._text(path)):
                found.setdefault(name.lower(), []).append(path)
        return found

    def classes_named(self, name: str) -> list[ModelSource]:
        """Classes called ``name`` (any case) in the models modules; only those files are parsed."""
        return [
            found
            for path in self._class_files.get(name.lower(), [])
            for found in self._classes(path)
            if found.name.lower() == name.lower()
        ]

    def _with_label(self, model: ModelSource) -> ModelSource:
        model.app_label = model.app_label or self.app_of(model.path)
        model.inherited = inherited_fields(model, self.classes_named)
        return model

    def model_source(self, app_label: str, name: str) -> ModelSource | None:
        matches = [
            self._with_label(found)
            for found in self.classes_named(name)
            if is_model(found, self.classes_named) and (found.app_label or self.app_of(found.path)) == app_label
        ]
        matches = [found for found in matches if found.concrete]
        if len(matches) > 1:
            places = ", ".join(f"{self.project.relative(m.path)}:{m.line}" for m in matches)
            raise AssistantError(f"model {app_label}.{name} is defined more than once: {places}")
        return matches[0] if matches else None

    @cached_property
    def models(self) -> dict[str, list[ModelSource]]:
        """Every model class (concrete and abstract) by app label; parses every models module."""
        by_app: dict[str, list[ModelSource]] = {label: [] for label in self.project.apps}
        for path in self.models_modules:
            for found in self._classes(path):
                if is_model(found, self.classes_named):
                    model = self._with_label(found)
                    if model.app_label in by_app:
                        by_app[model.app_label].append(model)
        return by_app

    def app_of(self, path) -> str | None:
        best = None
        for app in self.project.apps.values():
            if path.is_relative_to(app.path) and (best is None or len(app.path.parts) > len(best.path.parts)):
                best = app
        return best.label if best else None

    def _module_of(self, path) -> str:
        app = self.project.apps[self.app_of(path)]
        relative = path.relative_to(app.path).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        return ".".join([app.module, *parts])
