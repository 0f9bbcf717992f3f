"""The static index of a repository: migrations, their graph and state, and models.

Each part is built on first use, so ``status`` never parses a models module.
"""

from __future__ import annotations

from functools import cached_property

from .errors import AssistantError
from .migration_files import MigrationFile, read_migration
from .migration_graph import MigrationGraph
from .migration_state import AppState, ModelState, PendingDeletion, replay
from .model_index import ModelSource, is_models_module, model_classes, resolve_models
from .project import Project
from .pysource import parse_source, read_source


class RepositoryIndex:
    def __init__(self, project: Project):
        self.project = project
        self._states: dict[str, AppState] = {}

    @cached_property
    def migrations(self) -> list[MigrationFile]:
        found = []
        for app in self.project.apps.values():
            for path in sorted(app.migrations_dir.glob("*.py")):
                if path.name[0] not in "_~":
                    found.append(read_migration(app.label, path))
        return found

    @cached_property
    def graph(self) -> MigrationGraph:
        return MigrationGraph.build(self.migrations)

    def state(self, app_label: str) -> AppState:
        if app_label not in self._states:
            self.project.app(app_label)
            self._states[app_label] = replay(self.graph, app_label)
        return self._states[app_label]

    @property
    def pending_deletions(self) -> list[PendingDeletion]:
        found = []
        for label in sorted(self.project.apps):
            found.extend(self.state(label).pending.values())
        return found

    def model_state(self, app_label: str, model_name: str) -> ModelState | None:
        return self.state(app_label).model(model_name)

    @cached_property
    def models(self) -> dict[str, list[ModelSource]]:
        """Concrete and abstract model classes by app label."""
        candidates = []
        for path in self.project.python_files:
            if not is_models_module(path) or self._app_of(path) is None:
                continue
            tree = parse_source(read_source(path), path)
            candidates.extend(model_classes(tree, self._module_of(path), path))
        by_app: dict[str, list[ModelSource]] = {label: [] for label in self.project.apps}
        for model in resolve_models(candidates):
            label = model.app_label or self._app_of(model.path)
            if label in by_app:
                model.app_label = label
                by_app[label].append(model)
        return by_app

    def model_source(self, app_label: str, name: str) -> ModelSource | None:
        matches = [m for m in self.models.get(app_label, []) if m.name.lower() == name.lower() and m.concrete]
        if len(matches) > 1:
            places = ", ".join(f"{self.project.relative(m.path)}:{m.line}" for m in matches)
            raise AssistantError(f"model {app_label}.{name} is defined more than once: {places}")
        return matches[0] if matches else None

    def _app_of(self, path) -> str | None:
        best = None
        for app in self.project.apps.values():
            if path.is_relative_to(app.path) and (best is None or len(app.path.parts) > len(best.path.parts)):
                best = app
        return best.label if best else None

    def _module_of(self, path) -> str:
        app = self.project.apps[self._app_of(path)]
        relative = path.relative_to(app.path).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        return ".".join([app.module, *parts])
