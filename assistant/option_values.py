"""The field lookups that admin options and ``Meta`` field lists hold, read statically.

``list_display = ("name", "user__email")`` holds two lookups; ``("user__%s" % FIELD,)`` one whose first
segment is known; ``list_display = build()`` cannot be read (the caller refuses what depends on it).
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from dataclasses import dataclass

from .pysource import last_name

# Options whose strings may follow relations (``user__email``); in the others a string names a field.
PATH_OPTIONS = frozenset({"list_display", "list_filter", "search_fields", "ordering", "date_hierarchy"})
SEQUENCE_OPTIONS = frozenset(
    {
        "list_display",
        "list_display_links",
        "list_filter",
        "list_editable",
        "search_fields",
        "ordering",
        "readonly_fields",
        "fields",
        "exclude",
        "raw_id_fields",
        "autocomplete_fields",
        "filter_horizontal",
        "filter_vertical",
        "sortable_by",
        "list_select_related",
    }
)
STRING_OPTIONS = frozenset({"date_hierarchy", "fk_name"})
DICT_OPTIONS = frozenset({"prepopulated_fields", "radio_fields"})
OPTIONS = SEQUENCE_OPTIONS | STRING_OPTIONS | DICT_OPTIONS | {"fieldsets"}
# Options where a name the class itself defines (a method, an attribute) is not a field.
CALLABLE_OPTIONS = frozenset({"list_display", "list_display_links", "readonly_fields", "list_filter"})
_PREFIXES = {"search_fields": "^=@", "ordering": "-"}


@dataclass(frozen=True)
class Lookup:
    """A string naming a field or a path of fields; ``complete`` False: only ``text`` (a prefix) is known."""

    text: str
    complete: bool
    node: ast.expr
    prefix: str = ""  # "-" / "^" / "=" / "@" before the path, kept as written

    @property
    def segments(self) -> list[str]:
        parts = self.text.split("__")
        return parts if self.complete else parts[:-1]


class Unreadable(Exception):
    """An option value that cannot be read statically; ``node`` is where."""

    def __init__(self, node: ast.AST, why: str):
        super().__init__(why)
        self.node = node


def option_lookups(option: str, value: ast.expr, named: Callable[[ast.Name], ast.expr | None]) -> list[Lookup]:
    """The lookups of ``option = value``; ``named`` gives the value bound to a name (module or class level)."""
    if isinstance(value, ast.Constant) and not isinstance(value.value, str):
        return []  # None, True/False (list_select_related)
    if option in STRING_OPTIONS:
        return [_lookup(option, value)]
    if option in DICT_OPTIONS:
        pairs = _dict(value, named)
        lookups = [_lookup(option, key) for key, _ in pairs]
        if option == "prepopulated_fields":
            lookups += [_lookup(option, item) for _, items in pairs for item in _sequence(items, named)]
        return lookups
    if option == "fieldsets":
        return [_lookup(option, item) for item in _fieldset_fields(value, named)]
    if option == "fields" and isinstance(value, ast.Constant):
        return []  # ``"__all__"`` (a ModelForm's Meta)
    lookups = []
    for item in _sequence(value, named):
        if isinstance(item, (ast.Tuple, ast.List)) and item.elts and option in ("list_filter", "fields"):
            lookups += [_lookup(option, part) for part in (item.elts[:1] if option == "list_filter" else item.elts)]
        elif isinstance(item, ast.Call) and option == "ordering":
            lookups += _ordering_call(item)
        elif isinstance(item, (ast.Name, ast.Attribute, ast.Lambda, ast.Call)) and option in CALLABLE_OPTIONS:
            continue  # a callable, a list filter class
        else:
            lookups.append(_lookup(option, item))
    return lookups


def _lookup(option: str, node: ast.expr) -> Lookup:
    """A string, or an expression starting with a literal (``"user__%s" % X``, ``f"user__{x}"``)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text, complete = node.value, True
    else:
        text, complete = _literal_start(node), False
    prefix = text[:1] if text[:1] and text[:1] in _PREFIXES.get(option, "") else ""
    return Lookup(text[len(prefix) :], complete, node, prefix)


def _literal_start(node: ast.expr) -> str:
    while isinstance(node, ast.BinOp):
        node = node.left
    if isinstance(node, ast.JoinedStr) and node.values:
        node = node.values[0]
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
        node = node.func.value
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value.split("%")[0].split("{")[0]
    return ""


def _sequence(value: ast.expr, named) -> list[ast.expr]:
    """The items of a list/tuple literal, of ``a + b`` of such, or of a name bound to one."""
    if isinstance(value, (ast.Tuple, ast.List, ast.Set)):
        return list(value.elts)
    if isinstance(value, ast.BinOp) and isinstance(value.op, ast.Add):
        return _sequence(value.left, named) + _sequence(value.right, named)
    if isinstance(value, ast.Name):
        bound = named(value)
        if bound is not None:
            return _sequence(bound, named)
    raise Unreadable(value, f"{ast.unparse(value)[:60]} is computed at run time")


def _dict(value: ast.expr, named) -> list[tuple[ast.expr, ast.expr]]:
    if isinstance(value, ast.Dict) and all(key is not None for key in value.keys):
        return list(zip(value.keys, value.values))
    if isinstance(value, ast.Name) and named(value) is not None:
        return _dict(named(value), named)
    raise Unreadable(value, f"{ast.unparse(value)[:60]} is computed at run time")


def _fieldset_fields(value: ast.expr, named) -> list[ast.expr]:
    found = []
    for fieldset in _sequence(value, named):
        if not (isinstance(fieldset, (ast.Tuple, ast.List)) and len(fieldset.elts) == 2):
            raise Unreadable(fieldset, f"the fieldset {ast.unparse(fieldset)[:60]} is not a literal pair")
        options = dict(_dict(fieldset.elts[1], named))
        for key, item in options.items():
            if isinstance(key, ast.Constant) and key.value == "fields":
                found += _flattened(item, named)
    return found


def _flattened(value: ast.expr, named) -> list[ast.expr]:
    found = []
    for item in _sequence(value, named):
        found += _flattened(item, named) if isinstance(item, (ast.Tuple, ast.List)) else [item]
    return found


def _ordering_call(node: ast.Call) -> list[Lookup]:
    """``F("x")``, ``F("x").desc()``: the field; any other expression is not read by the checks."""
    inner = node.func.value if isinstance(node.func, ast.Attribute) and node.func.attr in ("asc", "desc") else node
    if isinstance(inner, ast.Call) and last_name(inner.func) == "F" and inner.args:
        return [_lookup("ordering", inner.args[0])]
    return []
