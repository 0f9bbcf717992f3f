"""The static index of a repository: migrations, their graph and state, and models.

Each part is built on first use, so ``status`` never parses a models module.
"""

from __future__ import annotations

import ast
import os
import re
import sys
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import AssistantError
from .header_cache import HeaderCache, file_stamp
from .migration_files import MigrationFile, read_migration
from .migration_graph import MigrationGraph
from .migration_operations import NO_STATE_EFFECT
from .migration_state import (
    AppState,
    FieldState,
    ModelState,
    PendingDeletion,
    Unreadable,
    former_names,
    pending_candidates,
    replay,
)
from .model_ancestry import Ancestry
from .model_index import ModelSource, is_models_module, model_classes, tree_model_spans
from .project import Project
from .pysource import parse_source, read_source, string_value
from .python_modules import ClassRef, SourceTree
from .read_set_cache import ReadSetCache, files_digest, stamp
from .reads import remember_listing, remember_stamp

if TYPE_CHECKING:
    from .models_cache import ModelSummary


@dataclass(frozen=True)
class Classless:
    """A model of the migrations' state with no model class read statically: ``badge`` in brief, ``why`` in
    full, and the class found (``path``, ``line``), if any."""

    app_label: str
    name: str
    badge: str  # "no class", "class unreadable", "not a model" or "proxy" (nothing unknown: a proxy has no table)
    why: str
    path: Path | None = None
    line: int = 0

    @property
    def unknown(self) -> bool:
        return self.badge != "proxy"


_CLASS_NAME = re.compile(r"^[ \t]*class[ \t]+(\w+)", re.M)
MODULES_FORMAT = 2  # bump whenever how the index finds models modules changes (2: see models_cache.FORMAT)
_IMPORT = re.compile(r"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w \t,]*)|import[ \t]+([\w.]+))", re.M)


class RepositoryIndex:
    """What the repository says, read lazily and kept. Not safe from two threads at once: a lookup in progress
    (``SourceTree``, ``Ancestry``) reads to another thread as an import cycle. A program with several threads
    lets one of them at a time use an index (the assistant's reading lock)."""

    def __init__(self, project: Project):
        self.project = project
        self._states: dict[tuple, AppState] = {}
        self._texts: dict[Path, str] = {}
        self._read: dict[str, list[int] | None] = {}  # the stamp of each file and folder read, taken before
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
            directory = app.migrations_dir
            folder = self.project.relative(directory)
            try:
                with os.scandir(directory) as entries:
                    files = sorted(
                        (entry for entry in entries if entry.name.endswith(".py") and entry.name[0] not in "_~"),
                        key=lambda entry: entry.name,
                    )
            except OSError as exc:
                raise AssistantError(f"{folder}: cannot read the migrations folder ({exc.strerror})") from None
            remember_listing(directory, [entry.name for entry in files])
            for entry in files:
                path = directory / entry.name
                info = entry.stat()
                stamp = file_stamp(info)
                remember_stamp(entry.path, (info.st_mtime_ns, info.st_size))
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
        swappable = {name for migration in self.migrations for name in migration.header.get("swappable", [])}
        apps = {name: self.settings.get(name).value for name in sorted(swappable)}
        apps = {name: value.split(".")[0] for name, value in apps.items() if value and "." in value}
        loadable = [migration for migration in self.migrations if migration.has_migration_class]
        return MigrationGraph.build(loadable, set(self.project.apps), apps)

    @cached_property
    def settings(self):
        from .settings_reader import SettingsReader

        return SettingsReader(self.project)

    @cached_property
    def relations(self):
        from .field_classes import FieldClasses
        from .relations import Relations

        paths = getattr(self.project.config, "python_path", ())  # [tool.migrate-assistant] python-path, if set
        return Relations(self.graph, self.settings, FieldClasses(self.settings.locate, tuple(paths)))

    @cached_property
    def graph_problems(self) -> list[str]:
        """``path:line: why`` for each migration Django could not load: a syntax error, a dangling dependency."""
        found = [
            f"{self.project.relative(migration.path)}:{migration.error[0]}: {migration.error[1]}"
            for migration in self.migrations
            if migration.error is not None
        ]
        found += [f"{self.project.relative(m.path)}:{line}: {why}" for m, line, why in self.graph.broken]
        return found

    def require_sound_graph(self) -> None:
        """Refuse (before anything is planned) when Django could not load the migration graph."""
        if self.graph_problems:
            raise AssistantError(
                "the migration graph is broken, so nothing is written until it is fixed:\n  "
                + "\n  ".join(self.graph_problems)
            )

    def unreadable(self, app_label: str, full: bool = False) -> list[Unreadable]:
        """What the static reader cannot determine in an app's migrations (with ``full``, also what only
        replaying every model finds: relations to swappable settings that cannot be read)."""
        found = []
        for migration in self.graph.app_order(app_label):
            if migration.error is not None:
                found.append(Unreadable(migration.path, migration.error[0], migration.error[1]))
            for line, why, model in migration.header.get("unreadable", []):
                found.append(Unreadable(migration.path, line, why, model))
            for line, name, model, *conditional in migration.header.get("custom", []):
                kind = migration.imported_kinds.get(name)
                if kind is None:
                    why = f"operation {name} is not a Django operation found in the repository: its effect is unknown"
                    found.append(Unreadable(migration.path, line, why, model))
                elif conditional and conditional[0] and kind not in NO_STATE_EFFECT:
                    why = f"operations is assigned conditionally and {name} ({kind}) changes the state"
                    found.append(Unreadable(migration.path, line, why, model))
        settings = {tuple(pair) for m in self.graph.app_order(app_label) for pair in m.header.get("settings", [])}
        if full:
            found += self.state(app_label).unreadable
        elif any(self.settings.get(*pair).value is None for pair in settings):
            found += self.state(app_label).unreadable
        return found

    def require_readable(self, app_label: str, model_name: str) -> None:
        """Refuse, naming file:line, when the state of ``app_label.model_name`` depends on what cannot be read."""
        self.require_sound_graph()
        names = former_names(self.graph.app_order(app_label), {model_name.lower()})
        blocking = [item for item in self.unreadable(app_label) if item.model is None or item.model in names]
        blocking += [item for item in self._replayed(app_label, model_name).unreadable if item.model in names]
        if blocking:
            places = "; ".join(f"{self.project.relative(i.path)}:{i.line}: {i.why}" for i in dict.fromkeys(blocking))
            raise AssistantError(
                f"the migrations of {app_label}.{model_name} cannot be read statically, so nothing is planned "
                f"for it: {places} (see README, 'Unreadable migrations')"
            )

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
        """The replayed state of an app, or of some of its models only (much faster), relations resolved."""
        key = (app_label, models)
        if key not in self._states:
            self.project.app(app_label)
            state = replay(self.graph, app_label, models, state_only_pending=self.project.convention.state_only_pending)
            self.relations.resolve(state)
            self._states[key] = state
        return self._states[key]

    def _pending_state(self, app_label: str) -> AppState | None:
        """The state of the models an app's Safe* operations name (``None`` when there are none)."""
        if app_label not in self._candidates:
            found = pending_candidates(self.graph, app_label, self.project.convention.state_only_pending)
            self._candidates[app_label] = frozenset(found)
        candidates = self._candidates[app_label]
        return self.state(app_label, candidates) if candidates else None

    def pending(self, app_label: str) -> dict:
        """Pending deletions of an app, keyed by (model, field or None); not those of a table another app took
        over (a model moved between apps: nothing is left behind to drop)."""
        state = self._pending_state(app_label)
        if not state:
            return {}
        adopted = {table for label, table in self.adopted_tables if label != app_label}
        return {key: item for key, item in state.pending.items() if item.model_state.table not in adopted}

    @cached_property
    def adopted_tables(self) -> frozenset[tuple[str, str]]:
        """(app label, table) of each state-only ``CreateModel`` that names its ``db_table``: the app takes over
        a table that another app's migrations created (django-oscar's customer → communication)."""
        found = set()
        for migration in self.migrations:
            if not migration.may_separate_state:
                continue
            for op in migration.walk_operations():
                if op.kind != "SeparateDatabaseAndState" or op.database_operations:
                    continue
                tables = {_named_table(nested) for nested in op.state_operations if nested.kind == "CreateModel"}
                found |= {(migration.app_label, table) for table in tables if table}
        return frozenset(found)

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
        Refuses when a relation that cannot be read (an app-wide unreadable part, a setting that cannot be
        read) could point at it.
        """
        target = f"{app_label}.{model_name}".lower()
        labels = self.relations.former_labels(target)
        named = {tuple(pair) for migration in self.migrations for pair in migration.header.get("settings", [])}
        blocking = [
            f"{self.project.relative(item.path)}:{item.line}: {item.why}"
            for label in sorted(self.project.apps)
            for item in self.unreadable(label)
            if item.model is None
        ]
        blocking += [
            f"settings.{name}: {self.settings.get(name, default).why}"
            for name, default in sorted(named, key=str)
            if self.settings.get(name, default).value is None
        ]
        if blocking:
            raise AssistantError(
                f"relations to {app_label}.{model_name} cannot all be found statically, so whether another model "
                f"still points at it is unknown: {'; '.join(blocking)}. To go on, make {'it' if len(blocking) == 1 else 'them'} "
                "readable (an operation class from outside the repository: set python-path in "
                "[tool.migrate-assistant]; operations built at run time: write them as a list literal; a setting: "
                "set settings), or make this change by hand (see README, 'Unreadable migrations')"
            )
        settings = {pair for pair in named if (self.settings.get(*pair).value or "").lower() in labels}
        found = []
        for label in sorted(self.project.apps):
            bare = {name.partition(".")[2] for name in labels if name.startswith(f"{label}.")}
            touched = {
                (op.text("model_name") or op.text("name") or "").lower()
                for migration in self.graph.app_order(label)
                if (labels | bare) & migration.strings
                or settings.intersection(map(tuple, migration.header.get("settings", [])))
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

    def table(self, model: ModelState) -> str:
        """The model's table; a proxy model's is its concrete parent's."""
        seen = set()
        while model.proxy and model.bases and model.bases[0] not in seen:
            seen.add(model.bases[0])
            app, _, name = model.bases[0].partition(".")
            parent = self.state(app).model(name) if app in self.project.apps else None
            if parent is None:
                break
            model = parent
        return model.table

    def _replayed(self, app_label: str, model_name: str) -> AppState:
        return self.state(app_label, frozenset({model_name.lower()}))

    def model_state(self, app_label: str, model_name: str) -> ModelState | None:
        """A model's state, for planning: refuses when it depends on what cannot be read statically."""
        self.require_readable(app_label, model_name)
        return self._replayed(app_label, model_name).model(model_name)

    @property
    def models_modules(self) -> list[Path]:
        """The apps' models modules and the app modules they import, transitively (oscar's ``offer/benefits.py``):
        Django knows every model class they define."""
        return self._modules_and_classes[0]

    @property
    def _class_files(self) -> dict[str, list[Path]]:
        """Lower-case class name → the models modules that define a top-level class of that name."""
        return self._modules_and_classes[1]

    @cached_property
    def _modules_and_classes(self) -> tuple[list[Path], dict[str, list[Path]]]:
        """``models_modules`` and ``_class_files``, from the modules cache when nothing they were read from changed."""
        cache = ReadSetCache("modules", self.project.root, self._cache_key, MODULES_FORMAT)
        cached = cache.load()
        if cached is not None:
            (modules, classes), read = cached
            self._read.update(read)  # still true: a models cache saved later depends on them too
            return [Path(path) for path in modules], {name: [Path(p) for p in paths] for name, paths in classes.items()}
        modules = self._find_models_modules()
        classes: dict[str, list[Path]] = {}
        for path in modules:
            for name in _CLASS_NAME.findall(self.text(path)):
                classes.setdefault(name.lower(), []).append(path)
        answer = [list(map(str, modules)), {name: list(map(str, paths)) for name, paths in classes.items()}]
        cache.save(answer, dict(self._read))
        return modules, classes

    def answer_cache(self, kind: str, version: int) -> ReadSetCache:
        """A cache, keyed like the models cache, of an answer found by reading through this index."""
        return ReadSetCache(kind, self.project.root, self._cache_key, version)

    def reads(self) -> dict[str, list[int] | None]:
        """The stamp of every file and folder read or searched so far, for ``ReadSetCache.save``."""
        return dict(self._read)

    @cached_property
    def _cache_key(self) -> dict:
        """What the modules and models caches depend on besides the files read: Python files, apps, search path."""
        apps = [[app.label, app.module, str(app.path)] for app in self.project.apps.values()]
        return {"files": files_digest(self.project.python_files), "apps": apps, "path": self.sources.search_path}

    def _find_models_modules(self) -> list[Path]:
        found = [path for path in self.project.python_files if is_models_module(path) and self.app_of(path)]
        seen = set(found)
        queue = list(found)
        first_party = self.project.first_party
        looked_up: set[str] = set()  # a module's answer does not change: each is looked up once
        while queue:
            for module in self._imported(queue.pop()) - looked_up:
                looked_up.add(module)
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
        module = self.module_of(path)
        package = module if path.name == "__init__.py" else module.rpartition(".")[0]
        names = set()
        for match in _IMPORT.finditer(self.text(path)):
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

    def text(self, path: Path) -> str:
        """A file's text, read once (its stamp recorded for the caches)."""
        if path not in self._texts:
            self._searched(path)
            self._texts[path] = read_source(path)
        return self._texts[path]

    def _searched(self, path) -> None:
        """A file about to be read or a folder about to be searched: its stamp, for the models cache."""
        key = os.fspath(path)
        if key not in self._read:
            self._read[key] = stamp(key)

    def _tree(self, path: Path):
        if path not in self._trees:
            self._trees[path] = parse_source(self.text(path), path)
        return self._trees[path]

    def _classes(self, path: Path) -> list[ModelSource]:
        if path not in self._parsed:
            self._parsed[path] = model_classes(self._tree(path), self.module_of(path), path)
        return self._parsed[path]

    @cached_property
    def _span_cache(self) -> HeaderCache:
        return HeaderCache(self.project.root, "spans")

    def model_spans(self, path: str) -> list[tuple[int, int, str]]:
        """``model_index.model_spans`` of a repository file as on disk (none when it cannot be read), cached
        by the file's stamp like migration headers; ``save_model_spans`` writes the cache."""
        full = self.project.root / path
        try:
            stamp = file_stamp(os.stat(full))
            spans = self._span_cache.get(path, stamp)
            if spans is None:
                spans = tree_model_spans(self._tree(full), full)  # the tree the module lookups share
                self._span_cache.put(path, stamp, spans)
        except (OSError, AssistantError):
            return []
        return [tuple(span) for span in spans]

    def save_model_spans(self) -> None:
        self._span_cache.save(self.project.root, keep=lambda path: (self.project.root / path).is_file())

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
            self._searched,
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

    @cached_property
    def model_summaries(self) -> dict[str, list[ModelSummary]]:
        """Each app's concrete models in brief; from the models cache when nothing they were read from changed."""
        from .models_cache import FORMAT as MODELS_FORMAT
        from .models_cache import decoded, encoded, summarize

        cache = ReadSetCache("models", self.project.root, self._cache_key, MODELS_FORMAT)
        cached = cache.load()
        if cached is not None:
            return decoded(cached[0])
        found = summarize(self.models)
        cache.save(encoded(found), dict(self._read))
        return found

    def live_models(self, app_label: str) -> dict[str, str]:
        """Lower-case name → name of each model an app's migrations leave in the state, from the headers'
        model events in graph order (no replay)."""
        live: dict[str, str] = {}
        for migration in self.graph.app_order(app_label):
            for event in migration.model_events:
                if event[0] == "+":
                    live[event[1].lower()] = event[1]
                elif event[0] == "-":
                    live.pop(event[1].lower(), None)
                elif live.pop(event[1].lower(), None) is not None:
                    live[event[2].lower()] = event[2]
        return live

    def classless(self, app_label: str) -> list[Classless]:
        """The models of the state that the tree's model classes (``model_summaries``) miss, and why."""
        classes = {summary.name.lower() for summary in self.model_summaries.get(app_label, [])}
        live = self.live_models(app_label)
        return [self.classless_model(app_label, live[key]) for key in sorted(live) if key not in classes]

    def classless_model(self, app_label: str, name: str) -> Classless:
        """Why ``app_label.name`` has no concrete model class read statically."""
        found = [m for m in self.classes_named(name) if (m.app_label or self.app_of(m.path)) == app_label]
        if not found:
            why = (
                f"no class {name} in the models modules of {app_label} (nor in the modules they import): it is "
                "defined elsewhere or created at runtime, so its fields are read from its migrations only"
            )
            return Classless(app_label, name, "no class", why)
        if len(found) > 1:
            places = ", ".join(f"{self.project.relative(m.path)}:{m.line}" for m in found)
            return Classless(app_label, name, "class unreadable", f"class {name} is defined more than once: {places}")
        model = found[0]
        where = f"{self.project.relative(model.path)}:{model.line}"
        answer = self.ancestry.is_model(model)
        if answer is None:
            reasons = "; ".join(self.ancestry.unread_bases(model)) or "its bases cannot be read statically"
            why = f"class {name} at {where} is not known to be a model: {reasons}"
            return Classless(app_label, name, "class unreadable", why, model.path, model.line)
        if not answer:
            why = f"class {name} at {where} does not derive from Django's Model as read statically"
            return Classless(app_label, name, "not a model", why, model.path, model.line)
        if model.proxy:
            return Classless(app_label, name, "proxy", "a proxy model", model.path, model.line)
        why = f"class {name} at {where} is abstract here, but its migrations create it"
        return Classless(app_label, name, "class unreadable", why, model.path, model.line)

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

    def module_of(self, path) -> str:
        """The dotted module name of a file inside an app."""
        app = self.project.apps[self.app_of(path)]
        relative = path.relative_to(app.path).with_suffix("")
        parts = [p for p in relative.parts if p != "__init__"]
        return ".".join([app.module, *parts])


def _named_table(create_model) -> str | None:
    """The ``db_table`` a ``CreateModel`` names in its options, if any."""
    options = create_model.args.get("options")
    if not isinstance(options, ast.Dict):
        return None
    return next((string_value(v) for k, v in zip(options.keys, options.values) if string_value(k) == "db_table"), None)
