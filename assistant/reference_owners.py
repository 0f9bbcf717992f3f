"""Whose field a candidate reference names: the class a line is in, and whether it shares the target model's fields.

A class shares them when it is the target model, derives from it (a proxy, a multi-table child) or is one of
its ancestors (an abstract base, a mixin). A class whose ancestry cannot be read leaves it open: the
reference is kept; so does a target model whose ancestry cannot be read, for ``self.name`` (an unread
ancestor may be the class). Answers about files as on disk are cached while no file read to find them changes.
"""

from __future__ import annotations

import ast
from pathlib import Path

from .errors import AssistantError
from .index import RepositoryIndex
from .model_ancestry import Lineage
from .model_index import is_models_module, model_spans, module_level_classes
from .pysource import parse_source
from .python_modules import ClassRef
from .read_set_cache import stamp

FORMAT = 1  # bump whenever what makes a class share the target's fields changes


class ReferenceOwners:
    """Answers the reference scan's questions about classes; ``text`` None means the file as on disk."""

    def __init__(self, index: RepositoryIndex):
        self.index = index
        self._targets: dict[str, tuple[ClassRef, Lineage] | None] = {}
        self._trees: dict[str, ast.Module | None] = {}
        self._cache = index.answer_cache("owners", FORMAT)
        loaded = self._cache.load()
        self._cached_answers: dict[str, bool] = dict(loaded[0]) if loaded else {}
        self._cached_read: dict[str, list[int] | None] = dict(loaded[1]) if loaded else {}
        self._answers: dict[str, bool] = {}  # those of this scan: the next one is kept, not every one before
        self._read: dict[str, list[int] | None] = {}  # the files asked about, stamped before reading them
        self._changed = self._reused = False

    def save(self) -> None:
        """Keep this scan's answers about files on disk for the next one, when some were found anew."""
        if self._changed:
            read = {**(self._cached_read if self._reused else {}), **self._read, **self.index.reads()}
            self._cache.save(self._answers, read)

    def in_other_model(self, path: str, text: str | None, line: int, target: str, owner: str) -> bool:
        return self._cached("model", path, text, line, target, owner, self._in_other_model)

    def in_other_class(self, path: str, text: str | None, line: int, target: str, owner: str) -> bool:
        return self._cached("class", path, text, line, target, owner, self._in_other_class)

    def _cached(self, rule: str, path: str, text: str | None, line: int, target: str, owner: str, answer) -> bool:
        if text is not None:  # a planned text: not cached
            return answer(path, text, line, target, owner)
        key = f"{rule}:{target}:{owner}:{path}:{line}"
        if key not in self._answers:
            if key in self._cached_answers:
                self._answers[key] = self._cached_answers[key]
                self._reused = True
            else:
                self._read[path] = stamp(self.index.project.root / path)
                self._answers[key] = answer(path, text, line, target, owner)
                self._changed = True
        return self._answers[key]

    def _in_other_model(self, path: str, text: str | None, line: int, target: str, owner: str) -> bool:
        """The line is in a model-like class (fields or a Meta) of a models module that does not share the
        fields of ``target``'s model (class ``owner``): a string ``"name"`` there is that class's field."""
        if not is_models_module(Path(path)):
            return False
        spans = self.index.model_spans(path) if text is None else model_spans(text, Path(path))
        return any(
            first <= line <= last and self._apart(path, text, name, first, target, owner, models_only=False)
            for first, last, name in spans
        )

    def _in_other_class(self, path: str, text: str | None, line: int, target: str, owner: str) -> bool:
        """The line is directly in a class (not a nested one) known not to share the fields of ``target``'s
        model: another model, or a Django class that is no model (a field, a form, an admin): its ``self.name``
        is its own. A plain class is kept: it may be mixed into a subclass of the model."""
        tree = self._tree(path, text)
        if tree is None:
            return False
        for node in module_level_classes(tree.body):
            if node.lineno <= line <= (node.end_lineno or 0):
                if _in_nested_class(node.body, line):
                    return False
                return self._apart(path, text, node.name, node.lineno, target, owner, models_only=True)
        return False

    def _apart(
        self, path: str, text: str | None, name: str, line: int, target: str, owner: str, models_only: bool
    ) -> bool:
        """Class ``name`` (at ``line``) is known to be neither the target's model, nor derived from it, nor
        one of its ancestors; with ``models_only``, it must also be a model or another Django class."""
        model = self._target(target, owner)
        found = self._class(path, text, name, line)
        if model is None or found is None:
            return False
        ref, above = model
        lineage = self.index.ancestry.lineage(found)
        ours, theirs = _place(ref), _place(found)  # by module and line: a path may be written two ways
        related = theirs == ours or theirs in map(_place, above.ancestors) or ours in map(_place, lineage.ancestors)
        if lineage.open or related:
            return False
        if models_only:  # an ancestor of the model left unread may be this class
            return not above.open and lineage.django
        return True

    def _target(self, target: str, owner: str) -> tuple[ClassRef, Lineage] | None:
        """The target model's class and lineage; None when its class cannot be found."""
        key = f"{target.split('.')[0]}.{owner}"
        if key not in self._targets:
            self._targets[key] = None
            try:
                model = self.index.model_source(target.split(".")[0], owner)
            except AssistantError:
                model = None
            if model is not None:
                ref = self.index.ancestry.adopt(model)
                self._targets[key] = (ref, self.index.ancestry.lineage(ref))
        return self._targets[key]

    def _class(self, path: str, text: str | None, name: str, line: int) -> ClassRef | None:
        """The class ``name`` of a file, as the module binds it (on disk, it must be the one at ``line``)."""
        full = self.index.project.root / path
        if self.index.app_of(full) is None:
            return None
        found = self.index.sources.lookup(self.index.module_of(full), name)
        if not isinstance(found, ClassRef) or found.condition or (text is None and found.line != line):
            return None
        return found

    def _tree(self, path: str, text: str | None) -> ast.Module | None:
        key = path if text is None else f"planned:{path}"
        if key not in self._trees:
            full = self.index.project.root / path
            try:
                self._trees[key] = self.index.sources.parse(full) if text is None else parse_source(text, full)
            except (AssistantError, OSError, UnicodeDecodeError):
                self._trees[key] = None
        return self._trees[key]


def _place(ref: ClassRef) -> tuple[str, int]:
    return ref.module, ref.line


def _in_nested_class(body: list[ast.stmt], line: int) -> bool:
    """A class statement within ``body`` (at any depth) spans ``line``: ``self`` there is another class's."""
    for stmt in body:  # a ``case`` of a match has no lines of its own: its body is looked in
        if hasattr(stmt, "lineno") and not stmt.lineno <= line <= (stmt.end_lineno or 0):
            continue
        if isinstance(stmt, ast.ClassDef):
            return True
        inner = [getattr(stmt, name, []) for name in ("body", "orelse", "finalbody", "handlers", "cases")]
        if any(_in_nested_class(part, line) for part in inner if isinstance(part, list)):
            return True
    return False
