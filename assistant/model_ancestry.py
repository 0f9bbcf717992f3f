"""Which classes are Django models, and which fields they inherit, by resolving their bases statically.

A class is a model when its ancestry reaches ``django.db.models.Model``; it inherits the
fields of its abstract model ancestors, wherever they are defined (the repository or an
installed package). A base that cannot be found or read is recorded on the model
(``ModelSource.unresolved``), never guessed: its fields are then incomplete.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .model_index import ModelSource, class_source
from .python_modules import FIELD_ROOT, MODEL_ROOT, ClassRef, Known, ModuleSource, SourceTree, Unresolved


@dataclass(frozen=True)
class Lineage:
    """Where a class's bases lead, followed statically through every base (mixins included) up to Django's
    own classes, which are not read."""

    ancestors: frozenset[ClassRef]
    django: bool  # is or derives from a class of Django's (a model, a field, a form, an admin...)
    open: bool  # some base on the way cannot be read


class Ancestry:
    def __init__(self, tree: SourceTree, shown: Callable[[Path], str] = str):
        self.tree = tree
        self.shown = shown  # how a path is written in a message
        self._sources: dict[ClassRef, ModelSource] = {}
        self._models: dict[ClassRef, tuple[bool | None, list[ModelSource], list[str]]] = {}
        self._field_classes: dict[ClassRef, Known | None] = {}
        self._lineages: dict[ClassRef, Lineage] = {}

    def source(self, ref: ClassRef) -> ModelSource:
        if ref not in self._sources:
            self._sources[ref] = class_source(ref.node, ref.module, ref.path)
        return self._sources[ref]

    def adopt(self, model: ModelSource) -> ClassRef:
        """Share a class the caller has already read."""
        ref = ClassRef(model.module, model.path, model.node, model.node.lineno)
        self._sources.setdefault(ref, model)
        return ref

    def is_model(self, model: ModelSource) -> bool | None:
        """True / False, or None when a base that could not be read leaves it open."""
        return self._model(self.adopt(model))[0]

    def unread_bases(self, model: ModelSource) -> list[str]:
        """``file:line: base X of Y cannot be read (why)`` for each base that leaves ``is_model`` open."""
        return self._model(self.adopt(model))[2]

    def complete(self, model: ModelSource) -> ModelSource:
        """Fill in the inherited fields, the unreadable bases, and fields of classes not named like one."""
        ref = self.adopt(model)
        _, parents, unresolved = self._model(ref)
        model.unresolved = list(unresolved)
        for holder in [model, *parents]:
            model.unresolved += self._promote_fields(holder)
        taken = set(model.attributes)
        model.inherited, model.ancestor_fields, model.ancestor_paths = {}, {}, {}
        for parent in parents:
            for name, found in parent.fields.items():
                if name not in taken and name not in model.inherited:
                    model.inherited[name] = parent.name
                    model.ancestor_fields[name] = found
                    model.ancestor_paths[name] = parent.path
            taken |= parent.attributes
        return model

    def lineage(self, ref: ClassRef) -> Lineage:
        """Every class ``ref`` derives from, whether it reaches Django, and whether a base cannot be read."""
        if ref.module.startswith("django."):
            return Lineage(frozenset(), True, False)
        if ref in self._lineages:
            return self._lineages[ref]
        self._lineages[ref] = Lineage(frozenset(), False, True)  # a cycle ends here, unread
        ancestors, django, open_ = set(), False, False
        for base in ref.node.bases:
            if self._from_django(ref.module, base):  # Django's sources are not read
                django = True
                continue
            found = self.tree.resolve(ref.module, base)
            if isinstance(found, ClassRef):
                above = self.lineage(found)
                ancestors |= {found, *above.ancestors}
                django |= above.django
                open_ = open_ or above.open or bool(found.condition)  # another class may be the base that runs
            elif isinstance(found, Known):
                django |= found.qualified.startswith("django.")
            else:  # a module or a name that cannot be read
                open_ = True
        self._lineages[ref] = Lineage(frozenset(ancestors), django, open_)
        return self._lineages[ref]

    def _from_django(self, module: str, expression: ast.expr) -> bool:
        """``models.Model``, ``admin.ModelAdmin``, ``RemoveField``: a name the module imports from Django."""
        while isinstance(expression, (ast.Attribute, ast.Subscript)):
            expression = expression.value
        source = self.tree.module(module)
        if not isinstance(expression, ast.Name) or not isinstance(source, ModuleSource):
            return False
        binding = source.bindings.get(expression.id, ())
        return binding[:1] in (("from",), ("module",)) and binding[1].partition(".")[0] == "django"

    def field_class(self, module: str, expression: ast.expr) -> Known | Unresolved | None:
        """The Django field class a field class expression stands for (``Known``), ``None`` when it is not
        a field class, or ``Unresolved`` (with why) when that cannot be told."""
        found = self.tree.resolve(module, expression)
        if isinstance(found, Known):
            return found if _is_field(found) else None
        if isinstance(found, ClassRef):
            return self._field_class(found)
        if isinstance(found, Unresolved):
            return found
        return None

    def _field_class(self, ref: ClassRef) -> Known | Unresolved | None:
        if ref in self._field_classes:
            return self._field_classes[ref]
        self._field_classes[ref] = None  # a cycle ends here
        answer: Known | Unresolved | None = None
        for base in ref.node.bases:
            found = self.field_class(ref.module, base)
            if found is not None:
                answer = found
                break
        self._field_classes[ref] = answer
        return answer

    def _promote_fields(self, model: ModelSource) -> list[str]:
        """``tags = TaggableManager()``: a call whose class derives from a Django field is a field.
        Returns why for the calls whose class cannot be read."""
        unknown = []
        for name, call in list(model.fields.items()):  # named like a field, but resolved to something else
            if self.field_class(model.module, call.call.func) is None:
                model.other_calls[name] = model.fields.pop(name)
        for name, call in list(model.other_calls.items()):
            found = self.field_class(model.module, call.call.func)
            if isinstance(found, Known):
                model.fields[name] = call
                del model.other_calls[name]
            elif isinstance(found, Unresolved):
                unknown.append(
                    f"{self.shown(model.path)}:{call.line}: {name} = {ast.unparse(call.call.func)}(...) of "
                    f"{model.name} may be a field ({found.why})"
                )
        return unknown

    def _model(self, ref: ClassRef) -> tuple[bool | None, list[ModelSource], list[str]]:
        if ref in self._models:
            return self._models[ref]
        self._models[ref] = (False, [], [])  # a cycle ends here
        is_model, open_, parents, unresolved = False, False, [], []
        for base in ref.node.bases:
            found = self.tree.resolve(ref.module, base)
            if found == MODEL_ROOT:
                is_model = True
            elif isinstance(found, ClassRef):
                reaches, above, missing = self._model(found)
                parent = self.source(found)
                if reaches and parent.abstract:
                    parents += [parent, *above]
                    unresolved += missing + ([found.condition] if found.condition else [])
                elif reaches is None:
                    open_ = True
                    unresolved += missing
                is_model |= bool(reaches)
            elif isinstance(found, Unresolved):
                open_ = True
                unresolved.append(
                    f"{self.shown(ref.path)}:{base.lineno}: base {ast.unparse(base)} of {ref.name} cannot be read "
                    f"({found.why})"
                )
        unique = list({id(parent): parent for parent in parents}.values())
        result = (True if is_model else None if open_ else False, unique, unresolved)
        self._models[ref] = result
        return result


def _is_field(found: Known) -> bool:
    if found.qualified.rsplit(".", 1)[-1] in ("GenericForeignKey", "GenericRelation"):
        return False
    return found == FIELD_ROOT or found.qualified.endswith(("Field", "ForeignKey"))


_COLUMN_METHODS = ("db_type", "get_internal_type", "rel_db_type", "cast_db_type", "db_parameters")


def column_class(ancestry: Ancestry, module: str, expression: ast.expr) -> tuple[str | None, str]:
    """The Django field class whose column a field class keeps (``"JSONField"`` for ``class Json(JSONField)``),
    or ``None`` and why it cannot be told: the class cannot be read, or it defines its own column type."""
    found = ancestry.tree.resolve(module, expression)
    written = ast.unparse(expression)
    for _ in range(50):  # an ancestry deeper than this is not a field's
        if isinstance(found, Known):
            if _is_field(found):
                return found.qualified.rsplit(".", 1)[-1], ""
            return None, f"{written} is not a Django field class"
        if isinstance(found, Unresolved):
            return None, f"{written} cannot be read ({found.why})"
        if not isinstance(found, ClassRef):
            return None, f"{written} is not a class"
        own = [node.name for node in found.node.body if getattr(node, "name", None) in _COLUMN_METHODS]
        if own:
            return None, (
                f"{found.name} ({ancestry.shown(found.path)}:{found.line}) defines {own[0]}: its column type is its own"
            )
        bases = [ancestry.tree.resolve(found.module, base) for base in found.node.bases]
        fields = [base for base in bases if _leads_to_a_field(ancestry, base)]
        unknown = [base for base in bases if isinstance(base, Unresolved)]
        found = (fields or unknown or [Unresolved(found.name, "none of its bases is a field class")])[0]
    return None, f"{written}: its ancestry is too deep to follow"


def _leads_to_a_field(ancestry: Ancestry, found) -> bool:
    if isinstance(found, Known):
        return _is_field(found)
    return isinstance(found, ClassRef) and isinstance(ancestry._field_class(found), Known)
