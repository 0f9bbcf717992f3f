"""The static index of a repository: migrations, their graph and state, and models.

Each part is built on first use, so ``status`` never parses a models module.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from functools import cached_property
from pathlib import Path

from .errors import AssistantError
from .header_cache import HeaderCache, file_stamp
from .migration_files import MigrationFile, read_migration
from .migration_graph import MigrationGraph
from .migration_state import AppState, FieldState, ModelState, PendingDeletion, pending_candidates, replay
from .model_ancestry import Ancestry
from .model_index import ModelSource, is_models_module, model_classes
from .project import Project
from .pysource import parse_source, read_source, string_value
from .python_modules import ClassRef, SourceTree

_CLASS_NAME = re.compile(r"^[ \t]*class[ \t]+(\w+)", re.M)
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w \t,]*)|import[ \t]+([\w.]+))", re.M)


class RepositoryIndex:
    def __init__(self, project: Project):
        self.project = project
        self._states: dict[tuple, AppState] = {}
        self._texts: dict[Path, str] = {}
        self._parsed: dict[Path, list[ModelSource]] = {}
        self._trees: dict[Path, ast.Module] = {}
        self._folder_apps: dict[str, str | None] = {}
        self._candidates: dict[str, frozenset[str]] = {}

    @cached_property
    def migrations(self) -> list[MigrationFile]:
        """Every migration file; headers come from the cache when the file is unchanged."""
        cache = HeaderCache(self.project.root)
        found = []
        for app in self.project.apps.values():
            folder = self.project.relative(app.migrations_dir)
            with os.scandir(app.migrations_dir) as entries:
                files = sorted(
                    (entry for entry in entries if entry.name.endswith(".py") and entry.name[0] not in "_~"),
                    key=lambda entry: entry.name,
                )
            for entry in files:
                path = app.migrations_dir / entry.name
                info = entry.stat()
                stamp = file_stamp(info)
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
        """The apps' models modules and the app modules they import, transitively (oscar's ``offer/benefits.py``):
        Django knows every model class they define."""
        found = [path for path in self.project.python_files if is_models_module(path) and self.app_of(path)]
        seen = set(found)
        queue = list(found)
        first_party = self.project.first_party
        while queue:
            for module in self._imported(queue.pop()):
                if module.split(".")[0] not in first_party:
                    continue
                spec = self.sources.spec(module)
                origin = Path(spec.origin) if spec and spec.has_location and spec.origin else None
                if origin and origin.suffix == ".py" and origin not in seen and self.app_of(origin):
                    seen.add(origin)
                    found.append(origin)
                    queue.append(origin)
        return found

    def _imported(self, path: Path) -> set[str]:
        """Modules a file imports (read from its text: a cheap over-approximation, then looked up)."""
        module = self._module_of(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        names = set()
        for match in _IMPORT.finditer(self._text(path)):
            if match[3]:
                names.add(match[3])
                continue
            dots = len(match[1]) - len(match[1].lstrip("."))
            base = match[1].lstrip(".")
            if dots:
                parent = package.rsplit(".", dots - 1)[0] if dots > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names.update(f"{base}.{name.strip()}" for name in match[2].split(",") if name.strip().isidentifier())
        return {name for name in names if name and all(part.isidentifier() for part in name.split("."))}

    def _text(self, path: Path) -> str:
        if path not in self._texts:
            self._texts[path] = read_source(path)
        return self._texts[path]

    def _tree(self, path: Path):
        if path not in self._trees:
            self._trees[path] = parse_source(self._text(path), path)
        return self._trees[path]

    def _classes(self, path: Path) -> list[ModelSource]:
        if path not in self._parsed:
            self._parsed[path] = model_classes(self._tree(path), self._module_of(path), path)
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

    @cached_property
    def sources(self) -> SourceTree:
        """Modules found by name: the repository's packages, then ``python-path``, then the tool's own path."""
        return SourceTree(
            [*self.project.package_roots, *self.project.python_path, *(Path(entry) for entry in sys.path if entry)],
            self._tree,
            self._model_class,
            self._shown,
        )

    def _model_class(self, app_label: str, name: str) -> ClassRef | None:
        """The one class called ``name`` in the app's models modules (``get_model(app_label, name)``)."""
        matches = [m for m in self.classes_named(name) if (m.app_label or self.app_of(m.path)) == app_label]
        if len(matches) != 1:
            return None
        return ClassRef(matches[0].module, matches[0].path, matches[0].node, matches[0].line)

    @cached_property
    def ancestry(self) -> Ancestry:
        return Ancestry(self.sources, self._shown)

    def _shown(self, path: Path) -> str:
        return self.project.relative(path) if path.is_relative_to(self.project.root) else str(path)

    def _is_model(self, found: ModelSource) -> bool:
        """Its ancestry reaches Django's Model; when a base cannot be read, a class with fields or a Meta, or
        a base named like a model, is taken as a model whose fields are incomplete (it says why)."""
        answer = self.ancestry.is_model(found)
        if answer is None:
            return bool(found.fields or found.meta or any(base.endswith("Model") for base in found.bases))
        return answer

    def _with_label(self, model: ModelSource) -> ModelSource:
        model.app_label = model.app_label or self.app_of(model.path)
        return self.ancestry.complete(model)

    def model_source(self, app_label: str, name: str) -> ModelSource | None:
        matches = [
            self._with_label(found)
            for found in self.classes_named(name)
            if (found.app_label or self.app_of(found.path)) == app_label and self._is_model(found)
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
                if self._is_model(found):
                    model = self._with_label(found)
                    if model.app_label in by_app:
                        by_app[model.app_label].append(model)
        return by_app

    def migration_module(self, migration: MigrationFile) -> str:
        """The dotted module name Django imports a migration file as."""
        return f"{self.project.apps[migration.app_label].module}.migrations.{migration.name}"

    def app_of(self, path) -> str | None:
        """The label of the innermost app containing the file ``path`` (cached by folder)."""
        folder = os.path.dirname(path)
        if folder not in self._folder_apps:
            best = None
            for app in self.project.apps.values():
                if Path(folder).is_relative_to(app.path) and (
                    best is None or len(app.path.parts) > len(best.path.parts)
                ):
                    best = app
            self._folder_apps[folder] = best.label if best else None
        return self._folder_apps[folder]

    def _module_of(self, path) -> str:
        app = self.project.apps[self.app_of(path)]
        relative = path.relative_to(app.path).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        return ".".join([app.module, *parts])
