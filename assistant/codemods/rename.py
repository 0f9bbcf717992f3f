"""Renames that keep the database as it is: a field gets ``db_column``, a model ``Meta.db_table``."""

from __future__ import annotations

import ast

import libcst as cst

from ..field_usage import renamed_reference
from .syntax import assigned_name, class_body, code, edit_class, edit_meta, parse_module, with_body

META_REFERENCES = ("indexes", "constraints", "unique_together", "index_together", "ordering", "get_latest_by")
NOT_REFERENCES = ("name", "violation_error_message", "violation_error_code", "db_tablespace", "opclasses")
RELATIONS = ("ForeignKey", "OneToOneField", "ManyToManyField")
RELATION_TARGETS = ("to", "through")
NOT_RELATIONS = ("HybridCloudForeignKey",)  # an id of a model in another silo: no Django relation to retarget


def rename_field(
    source: str, path: str, class_name: str, old: str, new: str, db_column: str | None, renames: dict[str, str]
) -> str:
    """Rename the field of ``class_name`` (pinning ``db_column`` when given) and its uses in Meta."""

    def edit(node: cst.ClassDef) -> cst.ClassDef:
        statements = []
        for statement in class_body(node):
            if assigned_name(statement) == old:
                statement = _renamed_assignment(statement, new, db_column)
            elif isinstance(statement, cst.ClassDef) and statement.name.value == "Meta":
                statement = _rename_in_meta(statement, renames)
            statements.append(statement)
        return with_body(node, statements)

    return edit_class(parse_module(source, path), class_name, edit, path).code


def _renamed_assignment(statement: cst.SimpleStatementLine, new: str, db_column: str | None):
    small = statement.body[0]
    target = cst.Name(new)
    if isinstance(small, cst.Assign):
        small = small.with_changes(targets=[small.targets[0].with_changes(target=target)])
    else:
        small = small.with_changes(target=target)
    if db_column is not None and isinstance(small.value, cst.Call):
        small = small.with_changes(value=add_keyword(small.value, "db_column", f'"{db_column}"'))
    return statement.with_changes(body=[small])


def add_keyword(call: cst.Call, name: str, value_code: str) -> cst.Call:
    """Append ``name=value`` to a call, following its layout (one line, or one argument per line)."""
    new = cst.Arg(
        keyword=cst.Name(name),
        value=cst.parse_expression(value_code),
        equal=cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")),
    )
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    if isinstance(last.comma, cst.Comma):  # a trailing comma: the new argument takes it
        separator = args[-2].comma if len(args) > 1 else cst.Comma(whitespace_after=call.whitespace_before_args)
        args[-1] = last.with_changes(comma=separator)
        args.append(new.with_changes(comma=last.comma))
    else:
        args[-1] = last.with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")), whitespace_after_arg=cst.SimpleWhitespace("")
        )
        args.append(new.with_changes(whitespace_after_arg=last.whitespace_after_arg))
    return call.with_changes(args=args)


def _rename_in_meta(meta: cst.ClassDef, renames: dict[str, str]) -> cst.ClassDef:
    statements = []
    for statement in class_body(meta):
        if assigned_name(statement) in META_REFERENCES:
            statement = statement.visit(_References(renames))
        statements.append(statement)
    return with_body(meta, statements)


class _References(cst.CSTTransformer):
    """Rename field references: strings (``"-old__x"``) and ``Q(old__gte=...)`` keywords."""

    def __init__(self, renames: dict[str, str]):
        self.renames = renames
        self.skipped = 0

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None and node.keyword.value in NOT_REFERENCES:
            self.skipped += 1

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        if original.keyword is not None and original.keyword.value in NOT_REFERENCES:
            self.skipped -= 1
        return updated

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        if self.skipped:
            return updated
        return _renamed_string(updated, lambda text: renamed_reference(text, self.renames))

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if _callee(updated) != "Q":
            return updated
        args = [
            arg.with_changes(keyword=cst.Name(renamed_reference(arg.keyword.value, self.renames)))
            if arg.keyword is not None
            else arg
            for arg in updated.args
        ]
        return updated.with_changes(args=args)


def rename_model(
    source: str,
    path: str,
    old: str,
    new: str,
    table: str | None,
    targets: dict[str, str],
    pinned: dict[str, str] | None = None,
    meta_base: str | None = None,
) -> str:
    """Rename the class ``old`` (and every use of the name in its module, ``__all__`` included), pin
    ``Meta.db_table`` to ``table`` when given, and retarget relations (``targets``: lower-case old → new).
    ``pinned``: Meta options written out (option → code), e.g. inherited indexes whose names use
    ``%(class)s``, so they keep their names; ``meta_base``: what a new Meta extends."""
    module = parse_module(source, path)
    if table is not None or pinned:
        module = edit_class(module, old, lambda node: _with_meta(node, table, pinned or {}, meta_base), path)
    return module.visit(_Retarget(targets, {old: new}, strings={old: new})).code


def retarget_relations(source: str, path: str, targets: dict[str, str], names: dict[str, str]) -> str:
    """Point relation fields at the renamed model: strings in ``targets`` (lower case), and the
    class names in ``names`` (old → new) wherever this module imports or uses them (its ``__all__``
    too)."""
    return parse_module(source, path).visit(_Retarget(targets, names, strings=names)).code


def rename_export(source: str, path: str, old: str, new: str) -> str:
    """The models package: the import of ``old`` and its ``__all__`` entry."""
    return parse_module(source, path).visit(_Retarget({}, {old: new}, strings={old: new})).code


class _Retarget(cst.CSTTransformer):
    """Only what names the model: the target of a relation (its first positional argument, ``to=``
    and ``through=``), the class name, and ``__all__`` entries; never other strings
    (``through_fields``, ``verbose_name``, ``related_name``...)."""

    def __init__(self, targets: dict[str, str], names: dict[str, str], strings: dict[str, str] | None = None):
        self.targets, self.names, self.strings = targets, names, strings or {}
        self.all_depth = 0

    def leave_Call(self, original: cst.Call, updated: cst.Call) -> cst.Call:
        if not _is_relation(original):
            return updated
        args = list(updated.args)
        for position, arg in enumerate(args):
            is_target = (arg.keyword is None and position == 0 and not arg.star) or (
                arg.keyword is not None and arg.keyword.value in RELATION_TARGETS
            )
            if is_target and isinstance(arg.value, cst.SimpleString):
                args[position] = arg.with_changes(value=_renamed_string(arg.value, self._target))
        return updated.with_changes(args=args)

    def visit_Assign(self, node: cst.Assign) -> None:
        if any(isinstance(t.target, cst.Name) and t.target.value == "__all__" for t in node.targets):
            self.all_depth += 1

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        if any(isinstance(t.target, cst.Name) and t.target.value == "__all__" for t in original.targets):
            self.all_depth -= 1
        return updated

    def leave_SimpleString(self, original: cst.SimpleString, updated: cst.SimpleString) -> cst.SimpleString:
        if self.all_depth:
            return _renamed_string(updated, lambda text: self.strings.get(text, text))
        return updated

    def _target(self, text: str) -> str:
        new = self.targets.get(text.lower())
        if new is None:
            return text
        app, _, model = text.rpartition(".")
        return f"{app}.{new}" if app else new

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.names[updated.value]) if updated.value in self.names else updated


def _with_meta(node: cst.ClassDef, table: str | None, pinned: dict[str, str], base: str | None) -> cst.ClassDef:
    lines = [cst.parse_statement(f'db_table = "{table}"\n')] if table is not None else []
    options = [cst.parse_statement(f"{option} = {value}\n") for option, value in pinned.items()]

    def edit(statements: list) -> list:
        position = next((i + 1 for i, s in enumerate(statements) if assigned_name(s) == "app_label"), 0)
        return [*statements[:position], *lines, *statements[position:], *options]

    return edit_meta(node, edit, base)


def _is_relation(call: cst.Call) -> bool:
    callee = _callee(call)
    return callee.endswith(RELATIONS) and callee not in NOT_RELATIONS


def _callee(call: cst.Call) -> str:
    return code(call.func).rsplit(".", 1)[-1]


def _renamed_string(node: cst.SimpleString, rename) -> cst.SimpleString:
    text = ast.literal_eval(node.value)
    if not isinstance(text, str):
        return node
    new = rename(text)
    if new == text:
        return node
    quote = node.quote
    return node.with_changes(value=f"{node.prefix}{quote}{new}{quote}")
