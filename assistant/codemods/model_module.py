"""Delete a model class from its module, and its export from the models package."""

from __future__ import annotations

import ast

import libcst as cst

from ..errors import AssistantError
from ..model_index import module_level_classes
from ..pysource import names_read
from .syntax import code, filter_elements, module_level_class, parse_module, remove_statements


def remove_model_class(source: str, path: str, class_name: str) -> tuple[str, bool]:
    """The module without ``class_name`` (decorators and the comment lines right above it go too)
    nor the imports only it used, and whether nothing but imports, a docstring and
    ``__all__`` is left (then the module can be deleted)."""
    module = parse_module(source, path)
    index, target = module_level_class(module, class_name, path)
    if module.body[index] is not target:
        tree = ast.parse(source.removeprefix("\ufeff"))
        line = next(node.lineno for node in module_level_classes(tree.body) if node.name == class_name)
        raise AssistantError(
            f"{path}:{line}: class {class_name} is defined under a module-level if / try / with: remove-model "
            "deletes only classes in the module's body; delete it and what exports it by hand"
        )
    used_by_class = _names(code(target))
    body = remove_statements(module.body, lambda statement: statement is target)
    remaining = module.with_changes(body=body)
    still_used = _names(remaining.code) | _exported(remaining)
    unused = used_by_class - still_used
    body = _rebuild(remaining.body, lambda statement: _without_aliases(statement, unused))
    return remaining.with_changes(body=body).code, all(_is_scaffolding(statement) for statement in body)


def remove_export(source: str, path: str, module: str, class_name: str, module_deleted: bool) -> str:
    """Drop ``class_name`` from the package's imports of ``module`` (dotted) and from ``__all__``;
    a ``from module import *`` goes when the module is deleted."""
    tree = parse_module(source, path)

    def edit(statement):
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(small, cst.ImportFrom) and _imports_from(small, module):
            if isinstance(small.names, cst.ImportStar):
                return None if module_deleted else statement
            return _without_aliases(statement, {class_name}, by_name=True)
        if (
            isinstance(small, cst.Assign)
            and _assigns(small, "__all__")
            and isinstance(small.value, (cst.List, cst.Tuple))
        ):
            kept = filter_elements(small.value, lambda item: _string(item) != class_name)
            return statement.with_changes(body=[small.with_changes(value=kept)])
        return statement

    return tree.with_changes(body=_rebuild(tree.body, edit)).code


def _rebuild(body, edit) -> list:
    """Apply ``edit`` to each statement; those it turns into ``None`` are removed (comments kept)."""
    edited, dropped = [], set()
    for statement in body:
        new = edit(statement)
        if new is None:
            dropped.add(id(statement))
            new = statement
        edited.append(new)
    return remove_statements(edited, lambda statement: id(statement) in dropped)


def _names(source: str) -> set[str]:
    return names_read(ast.parse(source))


def _exported(module: cst.Module) -> set[str]:
    for statement in module.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        if isinstance(small, cst.Assign) and _assigns(small, "__all__"):
            return {s for s in (_string(e.value) for e in getattr(small.value, "elements", [])) if s}
    return set()


def _assigns(node: cst.Assign, name: str) -> bool:
    return any(isinstance(t.target, cst.Name) and t.target.value == name for t in node.targets)


def _string(node) -> str | None:
    return ast.literal_eval(node.value) if isinstance(node, cst.SimpleString) else None


def _imports_from(node: cst.ImportFrom, module: str) -> bool:
    written = code(node.module) if node.module is not None else ""
    dots = "." * len(node.relative)
    if dots:
        return written == module.rsplit(".", 1)[-1] and len(dots) == 1
    return written == module


def _without_aliases(statement, names: set[str], by_name: bool = False):
    """An import statement without the aliases binding ``names`` (``None`` if nothing is left)."""
    small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
    if not isinstance(small, (cst.Import, cst.ImportFrom)) or isinstance(small.names, cst.ImportStar):
        return statement
    aliases = list(small.names)

    def bound(alias: cst.ImportAlias) -> str:
        if by_name:
            return code(alias.name)
        if alias.asname is not None:
            return code(alias.asname.name)
        return code(alias.name).split(".")[0]

    kept = [alias for alias in aliases if bound(alias) not in names]
    if len(kept) == len(aliases):
        return statement
    if not kept:
        return None
    if bound(aliases[-1]) in names:
        kept[-1] = kept[-1].with_changes(comma=aliases[-1].comma)
    changes = {"names": kept}
    if (
        isinstance(small, cst.ImportFrom)
        and small.lpar is not None
        and len(kept) == 1
        and not isinstance(kept[0].comma, cst.Comma)
    ):
        changes.update(lpar=None, rpar=None)
    return statement.with_changes(body=[small.with_changes(**changes)])


def _is_scaffolding(statement) -> bool:
    """Imports, a docstring or ``__all__``: what a module needs only for what it defines."""
    if not isinstance(statement, cst.SimpleStatementLine):
        return False
    for small in statement.body:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            continue
        if isinstance(small, cst.Expr) and isinstance(small.value, (cst.SimpleString, cst.ConcatenatedString)):
            continue
        if isinstance(small, cst.Assign) and _assigns(small, "__all__"):
            continue
        return False
    return True
