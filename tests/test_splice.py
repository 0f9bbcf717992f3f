"""list_edits: elements of a list literal replaced, removed with their separators, items appended."""

import ast

import pytest

from migrate_assistant.splice import list_edits, splice_spans

SOURCE = """operations = [
    a(1),
    b(2),
]
"""


def edited(replace: dict[int, str], append: list[str], source: str = SOURCE) -> str:
    elements = ast.parse(source).body[0].value.elts
    text = splice_spans(source, list_edits(source, elements, replace, append))
    ast.parse(text)  # always valid Python
    return text


@pytest.mark.parametrize(
    ("replace", "append", "expected"),
    [
        ({0: "x()"}, [], "operations = [\n    x(),\n    b(2),\n]\n"),
        ({0: ""}, ["z()"], "operations = [\n    b(2),\n    z(),\n]\n"),
        ({1: ""}, ["z()"], "operations = [\n    a(1),\n    z(),\n]\n"),
        ({0: "", 1: ""}, ["z()", "w()"], "operations = [\n    z(),\n    w(),\n]\n"),
        ({1: "", 0: ""}, ["z()"], "operations = [\n    z(),\n]\n"),
    ],
)
def test_before_and_after(replace, append, expected):
    assert edited(replace, append) == expected


def test_the_only_element_removed_and_one_appended_leaves_no_stray_comma():
    source = "operations = [\n    migrations.RemoveField(model_name='p', name='c'),\n]\n"
    assert edited({0: ""}, ["Safe(x)"], source) == "operations = [\n    Safe(x),\n]\n"
