"""What Django's system checks (and the admin) read about a model's fields, found before a change breaks it.

The options (``list_display``, ``list_filter``, ``fieldsets`` ...) of the admin classes registered for the model,
its proxies and subclasses, and of classes with ``model = X`` (inlines, ModelForm ``Meta``); lookups through
relations (``user__email``) in every admin; other models' ``Meta.ordering``. A removal is refused naming each
use; a rename rewrites the string literals that are exactly the field's (a model's ordering needs a migration
of its own, so it is refused). What cannot be read statically is refused with its file and line.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from .errors import AssistantError
from .model_index import ModelSource, model_classes
from .option_values import CALLABLE_OPTIONS, OPTIONS, PATH_OPTIONS, Lookup, Unreadable, option_lookups
from .pysource import last_name, parse_source, read_source
from .python_modules import ClassRef, Unresolved

_CANDIDATE = re.compile(r"\bregister\(|\bmodel\s*=")
_ADMIN_BASES = frozenset({"BaseModelAdmin", "ModelAdmin", "InlineModelAdmin", "TabularInline", "StackedInline"})
_ORDERING = re.compile(r"\bordering\b")


@dataclass(frozen=True)
class Use:
    """A lookup that names a changed field (``segment``: which part), or, with ``lookup`` None, what cannot be read."""

    path: Path
    line: int
    owner: str  # "TokenAdmin.list_display", "auth.Permission.Meta.ordering"
    lookup: Lookup | None
    segment: int = 0
    why: str = ""
    rewritable: bool = False  # a literal of the class itself (not inherited, not a model's Meta)

    def shown(self, project) -> str:
        where = f"{project.relative(self.path)}:{self.line} {self.owner}"
        if self.lookup is None:
            return f"{where} cannot be read statically ({self.why})"
        return f"{where} {self.lookup.prefix + self.lookup.text!r}"


class CheckedOptions:
    """The uses of model ``model`` (a ``ModelRef``) in what the checks read, for fields ``names``."""

    def __init__(self, project, model, names: set[str]):
        self.project, self.index, self.model, self.names = project, project.index, model, names

    @cached_property
    def family(self) -> set[str]:
        """``app.model`` keys (lower case) of the model and the models inheriting from it (proxies too)."""
        family = {f"{self.model.app_label}.{self.model.name}".lower()}
        names, new = set(), {self.model.name}
        while new:
            names |= new
            pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(new))) + r")\b")
            new = set()
            for found in self._models_where(pattern):
                key = f"{found.app_label}.{found.name}".lower()
                if key not in family and any(base.rsplit(".", 1)[-1] in names for base in found.bases):
                    family.add(key)
                    new.add(found.name)
        return family

    def _models_where(self, pattern: re.Pattern, needle: str = "") -> list[ModelSource]:
        """The classes of the models modules whose text holds ``needle`` and matches ``pattern`` (only those are
        parsed; the plain substring test is the cheap one)."""
        found = []
        for path in self.index.models_modules:
            text = self.index.text(path)
            if needle in text and pattern.search(text):
                for model in model_classes(self.index.sources.parse(path), self.index.module_of(path), path):
                    model.app_label = model.app_label or self.index.app_of(path)
                    found.append(model)
        return found

    def uses(self) -> list[Use]:
        found: list[Use] = []
        for path in self._candidate_files():
            module = self.index.module_of(path)
            tree = self.index.sources.parse(path)
            for node in ast.walk(tree):
                if isinstance(node, ast.ClassDef):
                    found += self._class_uses(module, path, tree, node)
                elif _is_registration(node):
                    found += self._registration_uses(module, path, tree, node)
        found += self._ordering_uses()
        unique = {(use.path, use.line, use.owner, use.lookup and use.lookup.text, use.why): use for use in found}
        return sorted(unique.values(), key=lambda use: (str(use.path), use.line, use.owner))

    def _candidate_files(self) -> list[Path]:
        files, depth = [], len(self.project.root.parts)
        for path in self.project.python_files:
            if "migrations" in path.parts[depth:] or self.index.app_of(path) is None:
                continue
            try:
                text = read_source(path)
            except AssistantError:
                continue
            if _CANDIDATE.search(text):
                files.append(path)
        return files

    def _class_uses(self, module: str, path: Path, tree: ast.Module, node: ast.ClassDef) -> list[Use]:
        """A class registered with ``@admin.register(Model)``, or an inline or a ``Meta`` (ModelForm,
        FilterSet) with ``model = Model`` in its body (views and other classes with a ``model`` are not checked)."""
        models, registered = _class_models(node), _class_models(node, registered_only=True)
        if len(models) > len(registered) and node.name != "Meta" and not self._is_admin(module, node, 0):
            models = registered  # a ``model = X`` is read only in an inline or a Meta (no base resolved without one)
        found = []
        for model in models:
            found += self._options_uses(self._model_key(module, model), module, path, tree, node)
        return found

    def _is_admin(self, module: str, node: ast.ClassDef, depth: int) -> bool:
        """Whether the class inherits from Django's ``BaseModelAdmin`` (an inline does)."""
        for base in node.bases:
            name = last_name(base) or ""
            if name in _ADMIN_BASES:
                return True
            resolved = self._base(module, base)
            if (
                isinstance(resolved, ClassRef)
                and depth < 10
                and self._is_admin(resolved.module, resolved.node, depth + 1)
            ):
                return True
            if isinstance(resolved, Unresolved) and ("Admin" in name or "Inline" in name):
                return True
        return False

    def registrations(self) -> list[str]:
        """``path:line`` of the admin registrations and ``model = X`` of the model itself (removing its
        class would break their imports)."""
        own = f"{self.model.app_label}.{self.model.name}".lower()
        found = []
        for path in self._candidate_files():
            module = self.index.module_of(path)
            for node in ast.walk(self.index.sources.parse(path)):
                if isinstance(node, ast.ClassDef):
                    models = _class_models(node)
                elif _is_registration(node):
                    models = _models(node.args[:1])
                else:
                    continue
                found += [
                    f"{self.project.relative(path)}:{m.lineno}" for m in models if self._model_key(module, m) == own
                ]
        return sorted(set(found))

    def _registration_uses(self, module: str, path: Path, tree: ast.Module, call: ast.Call) -> list[Use]:
        """``admin.site.register(Model, ModelAdmin)`` (also a list of models)."""
        admin = (
            call.args[1]
            if len(call.args) > 1
            else next((k.value for k in call.keywords if k.arg == "admin_class"), None)
        )
        if not call.args or admin is None:
            return []
        keys = [self._model_key(module, model) for model in _models(call.args[:1])]
        resolved = self.index.sources.resolve(module, admin)
        if not isinstance(resolved, ClassRef):
            if any(key in self.family for key in keys):
                return [Use(path, call.lineno, "admin registration", None, why=_why(resolved, admin))]
            return []
        tree = self.index.sources.parse(resolved.path)
        found = []
        for key in keys:
            found += self._options_uses(key, resolved.module, resolved.path, tree, resolved.node)
        return found

    def _model_key(self, module: str, node: ast.expr) -> str | None:
        """``app.model`` of the model an expression names, ``""`` when it is no model, None when it cannot be told."""
        if isinstance(node, ast.Constant):  # DRF's router.register("prefix", ViewSet)
            return ""
        resolved = self.index.sources.resolve(module, node)
        if not isinstance(resolved, (ClassRef, Unresolved)):
            return ""
        name = resolved.name if isinstance(resolved, ClassRef) else last_name(node)
        for found in self.index.classes_named(name) if name else []:
            if found.name == name and (not isinstance(resolved, ClassRef) or found.path == resolved.path):
                return f"{found.app_label or self.index.app_of(found.path)}.{found.name}".lower()
        return "" if isinstance(resolved, ClassRef) else None

    def _options_uses(
        self, key: str | None, module: str, path: Path, tree: ast.Module, node: ast.ClassDef
    ) -> list[Use]:
        if key == "":
            return []
        options, defined, problems = self._options(module, path, tree, node, set())
        relevant = key in self.family  # for a model that cannot be told, only lookups naming the fields count
        found = [problem for problem in problems if relevant]
        for option, (value, owner_path, owner_node, named) in options.items():
            owner = f"{owner_node.name}.{option}" + ("" if owner_node is node else f" (inherited by {node.name})")
            try:
                lookups = option_lookups(option, value, named)
            except Unreadable as error:
                if relevant:
                    found.append(Use(owner_path, error.node.lineno, owner, None, why=str(error)))
                continue
            for lookup in lookups:
                if option in CALLABLE_OPTIONS and lookup.complete and lookup.text in defined:
                    continue
                found += self._lookup_uses(key, lookup, owner_path, owner, option in PATH_OPTIONS, owner_node is node)
        return found

    def _options(self, module: str, path: Path, tree: ast.Module, node: ast.ClassDef, seen: set) -> tuple:
        """The class's options, its bases' first: name -> (value, path, defining class, name reader)."""
        options, defined, problems = {}, set(), []
        for base in node.bases:
            resolved = self._base(module, base)
            if isinstance(resolved, ClassRef) and (resolved.path, resolved.line) not in seen:
                seen.add((resolved.path, resolved.line))
                base_tree = self.index.sources.parse(resolved.path)
                more = self._options(resolved.module, resolved.path, base_tree, resolved.node, seen)
                options.update(more[0])
                defined |= more[1]
                problems += more[2]
            elif isinstance(resolved, Unresolved):
                problems.append(Use(path, base.lineno, f"{node.name} base", None, why=resolved.why))
        named = _name_reader(tree, node)
        for statement in node.body:
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            if isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets = [statement.target]
            for target in targets:
                if isinstance(target, ast.Name):
                    defined.add(target.id)
                    if target.id in OPTIONS:
                        options[target.id] = (statement.value, path, node, named)
            if isinstance(statement, (ast.FunctionDef, ast.AsyncFunctionDef)):
                defined.add(statement.name)
        return options, defined, problems

    def _base(self, module: str, base: ast.expr):
        """What a base class names; ``Form.Meta`` (a ModelForm's Meta inheriting its parent's) is read too."""
        resolved = self.index.sources.resolve(module, base)
        if isinstance(resolved, Unresolved) and isinstance(base, ast.Attribute):
            outer = self._base(module, base.value)
            if isinstance(outer, ClassRef):
                inner = [n for n in outer.node.body if isinstance(n, ast.ClassDef) and n.name == base.attr]
                if len(inner) == 1:
                    return ClassRef(outer.module, outer.path, inner[0], inner[0].lineno)
        return resolved

    def _lookup_uses(
        self, key: str | None, lookup: Lookup, path: Path, owner: str, paths: bool, own: bool
    ) -> list[Use]:
        segments = lookup.segments
        line = lookup.node.lineno
        if key is None:
            if set(segments) & self.names or not lookup.complete:
                return [Use(path, line, owner, None, why="the model it is for cannot be resolved statically")]
            return []
        uses = []
        model = key
        for position in range(len(segments) + (0 if lookup.complete else 1)):
            if model == "":  # past a field that is no relation: the rest are transforms and lookups
                break
            if model is None:
                if set(segments[position:]) & self.names or not lookup.complete:
                    uses.append(
                        Use(path, line, owner, None, why=f"{key}: the relation of {lookup.text!r} cannot be followed")
                    )
                break
            if position == len(segments):  # the part computed at run time
                if model in self.family:
                    uses.append(
                        Use(path, line, owner, None, why=f"{ast.unparse(lookup.node)[:60]} is computed at run time")
                    )
                break
            if model in self.family and segments[position] in self.names:
                rewritable = own and lookup.complete and isinstance(lookup.node, ast.Constant)
                uses.append(Use(path, line, owner, lookup, position, rewritable=rewritable))
            if not paths or position + 1 >= len(segments) + (0 if lookup.complete else 1):
                break
            model = self._related(model, segments[position])
        return uses

    def _related(self, key: str, name: str) -> str | None:
        """The ``app.model`` a relation field leads to (through inherited fields), ``""`` for a field that is
        no relation, None when it cannot be told (a reverse relation, a model whose state cannot be read)."""
        app_label, _, model_name = key.partition(".")
        try:
            state = self.index.model_state(app_label, model_name)
        except AssistantError:
            return None
        if state is None:
            return None
        field = state.field(name)
        if field is not None:
            return field.target if field.is_relation else ""
        for base in state.bases:
            found = self._related(base, name)
            if found is not None:
                return found
        return None

    def _ordering_uses(self) -> list[Use]:
        """``Meta.ordering`` of the models: lookups through relations to the model (models.E015)."""
        own = f"{self.model.app_label}.{self.model.name}".lower()
        found = []
        for model in self._models_where(_ORDERING, "ordering"):
            value = model.meta.get("ordering")
            key = f"{model.app_label}.{model.name}".lower()
            if value is None or model.abstract:
                continue
            owner = f"{model.app_label}.{model.name}.Meta.ordering"
            named = _name_reader(self.index.sources.parse(model.path), None)
            try:
                lookups = option_lookups("ordering", value, named)
            except Unreadable as error:
                if key in self.family and key != own:
                    found.append(Use(model.path, error.node.lineno, owner, None, why=str(error)))
                continue
            for lookup in lookups:
                uses = self._lookup_uses(key, lookup, model.path, owner, True, False)
                found += [use for use in uses if key != own or use.segment > 0 or use.lookup is None]
        return found


def _class_models(node: ast.ClassDef, registered_only: bool = False) -> list[ast.expr]:
    """The models of ``@register(...)`` decorators and (unless ``registered_only``) of a ``model = X`` in the body."""
    found = [
        model
        for decorator in node.decorator_list
        if isinstance(decorator, ast.Call) and last_name(decorator.func) == "register"
        for model in _models(decorator.args)
    ]
    for statement in [] if registered_only else node.body:
        if isinstance(statement, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "model" for target in statement.targets
        ):
            found.append(statement.value)
    return found


def _is_registration(node: ast.AST) -> bool:
    """``site.register(Model, ...)`` (``atexit.register(f)`` too: its argument is then no model)."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "register"
        and bool(node.args)
    )


def _models(nodes: list[ast.expr]) -> list[ast.expr]:
    """Model expressions of ``register(A, B)`` / ``register([A, B], ...)``."""
    found = []
    for node in nodes:
        found += list(node.elts) if isinstance(node, (ast.List, ast.Tuple)) else [node]
    return found


def _why(resolved, node: ast.expr) -> str:
    return resolved.why if isinstance(resolved, Unresolved) else f"{ast.unparse(node)[:60]} is not a class"


def _name_reader(tree: ast.Module, node: ast.ClassDef | None):
    """What a name means in a class body (its own assignments first) or at module level, when bound once."""
    scopes = ([node.body] if node is not None else []) + [tree.body]

    def named(name: ast.Name) -> ast.expr | None:
        for body in scopes:
            values = [
                statement.value
                for statement in body
                if isinstance(statement, ast.Assign)
                and any(isinstance(target, ast.Name) and target.id == name.id for target in statement.targets)
            ]
            if values:
                return values[0] if len(values) == 1 else None
        return None

    return named


def refuse_broken_checks(project, model, names: set[str], what: str) -> None:
    """Refuse ``what`` (``removing app.Model.field``) while the checks read the fields ``names``."""
    uses = CheckedOptions(project, model, names).uses()
    if uses:
        computed = any(use.lookup is None for use in uses)
        raise AssistantError(
            f"{what} would break the admin options, Meta fields and orderings that name it: "
            + "; ".join(use.shown(project) for use in uses)
            + ": take the field out of these first (an admin option needs no migration, a model's Meta.ordering "
            "needs its own)" + ("; write what is computed as a literal so it can be read" if computed else "")
        )


def refuse_registered_model(project, model) -> None:
    """Refuse to remove a model the admin registers or a class names as ``model``: their imports would fail."""
    places = CheckedOptions(project, model, set()).registrations()
    if places:
        raise AssistantError(
            f"removing {model.label} would break the admin registrations or classes that name it: "
            + ", ".join(places)
            + ": remove those first (unregister it from the admin, delete its inlines and forms)"
        )


def renamed_in_checked_options(project, model, renames: dict[str, str], changes, what: str) -> None:
    """Rewrite the literals naming the renamed fields (``renames``: old -> new, names and attnames) in
    ``changes``; refuse what cannot be rewritten exactly."""
    uses = CheckedOptions(project, model, set(renames)).uses()
    stuck = [use for use in uses if not use.rewritable]
    if stuck:
        raise AssistantError(
            f"{what} would break admin options, Meta fields or orderings that name it and cannot be rewritten here: "
            + "; ".join(use.shown(project) for use in stuck)
            + ": change these first (a model's Meta.ordering needs its own migration; an inherited or computed "
            "option is changed by hand)"
        )
    by_path: dict[Path, list[Use]] = {}
    for use in uses:
        by_path.setdefault(use.path, []).append(use)
    for path, found in by_path.items():
        relative = project.relative(path)
        text = changes.read(relative)
        if text != read_source(path):
            raise AssistantError(f"{relative}: the plan already edits it; rename {found[0].lookup.text!r} by hand")
        changes.write(relative, _rewritten(text, path, found, renames))


def _rewritten(text: str, path: Path, uses: list[Use], renames: dict[str, str]) -> str:
    lines = text.splitlines(keepends=True)
    for use in sorted(uses, key=lambda use: (use.lookup.node.lineno, use.lookup.node.col_offset), reverse=True):
        node = use.lookup.node
        raw = lines[node.lineno - 1].encode("utf-8")
        written = raw[node.col_offset : node.end_col_offset].decode("utf-8")
        if node.lineno != node.end_lineno or written[:1] not in "'\"" or ast.literal_eval(written) != node.value:
            raise AssistantError(
                f"{path}:{node.lineno}: the string {node.value!r} is not a plain literal: rename it by hand"
            )
        parts = use.lookup.text.split("__")
        parts[use.segment] = renames[parts[use.segment]]
        new = written[0] + use.lookup.prefix + "__".join(parts) + written[0]
        lines[node.lineno - 1] = (raw[: node.col_offset] + new.encode("utf-8") + raw[node.end_col_offset :]).decode(
            "utf-8"
        )
    parse_source("".join(lines), path)
    return "".join(lines)
