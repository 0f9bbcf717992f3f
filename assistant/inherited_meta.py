"""What a model's ``Meta`` inherits from its abstract ancestors (Django: a child without its own
Meta, or whose Meta subclasses ``Parent.Meta``, gets the parent's options)."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from .model_index import ModelSource


@dataclass
class InheritedMeta:
    """``base``: what a Meta created for the model must extend (e.g. ``Sluggable.Meta``);
    ``options``: inherited option name → the abstract ancestor whose Meta sets it."""

    base: str | None = None
    options: dict[str, ModelSource] = field(default_factory=dict)

    def uses_class_name(self, option: str) -> bool:
        """Whether the inherited indexes/constraints have names built from ``%(class)s``."""
        ancestor = self.options.get(option)
        node = ancestor.meta.get(option) if ancestor else None
        return node is not None and any(
            isinstance(item, ast.Constant) and isinstance(item.value, str) and "%(class)s" in item.value
            for item in ast.walk(node)
        )


def inherited_meta(index, source: ModelSource, depth: int = 0) -> InheritedMeta:
    """``index``: the project's ``ProjectIndex`` (to find the ancestors by name)."""
    own = next((s for s in source.node.body if isinstance(s, ast.ClassDef) and s.name == "Meta"), None)
    if (own is not None and not own.bases) or depth > 8:
        return InheritedMeta()
    for base in source.bases:
        for parent in index.classes_named(base.rsplit(".", 1)[-1]):
            if not parent.abstract:
                continue
            options = {**inherited_meta(index, parent, depth + 1).options}
            options.update({key: parent for key in parent.meta if key != "abstract"})
            options = {key: ancestor for key, ancestor in options.items() if key not in source.meta}
            return InheritedMeta(f"{base}.Meta" if options else None, options)
    return InheritedMeta()
