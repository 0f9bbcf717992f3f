import ast

import pytest

from migrate_assistant.render import render, string_literal


def expr(code: str) -> ast.expr:
    return ast.parse(code, mode="eval").body


@pytest.mark.parametrize(
    ("value", "literal"),
    [("plain", '"plain"'), ('say "hi"', "'say \"hi\"'"), ("it's", '"it\'s"'), ("tab\t", '"tab\\t"')],
)
def test_strings_prefer_double_quotes(value, literal):
    assert string_literal(value) == literal
    assert ast.literal_eval(literal) == value


def test_short_call_stays_on_one_line():
    node = expr("migrations.RemoveIndex(model_name='project', name='idx')")
    assert render(node, 8, 100, ",") == 'migrations.RemoveIndex(model_name="project", name="idx")'


def test_long_call_explodes_recursively_like_black():
    node = expr(
        "migrations.AlterField(model_name='testmodel', name='project', field=sentry.db.models.fields."
        "foreignkey.FlexibleForeignKey(db_constraint=False, null=True, on_delete=django.db.models."
        "deletion.CASCADE, to='sentry.project'))"
    )
    assert render(node, 8, 100, ",") == (
        "migrations.AlterField(\n"
        '            model_name="testmodel",\n'
        '            name="project",\n'
        "            field=sentry.db.models.fields.foreignkey.FlexibleForeignKey(\n"
        "                db_constraint=False,\n"
        "                null=True,\n"
        "                on_delete=django.db.models.deletion.CASCADE,\n"
        '                to="sentry.project",\n'
        "            ),\n"
        "        )"
    )


def test_trailing_suffix_counts_towards_the_width():
    node = expr("f(aaaa, bbbb)")
    assert render(node, 0, len("f(aaaa, bbbb)"), "") == "f(aaaa, bbbb)"
    assert render(node, 0, len("f(aaaa, bbbb)"), ",") == "f(\n    aaaa,\n    bbbb,\n)"


def test_collections_and_one_tuple():
    assert render(expr("{('a', 'b')}")) == '{("a", "b")}'
    assert render(expr("('a',)")) == '("a",)'
    assert render(expr("{'k': [1, -2], **rest}")) == '{"k": [1, -2], **rest}'
    assert render(expr("set()")) == "set()"


def test_rendered_code_is_equivalent_python():
    code = "f(a, *args, k=[{'x': (1, 2)}], **kw)"
    assert ast.dump(expr(render(expr(code), 0, 10))) == ast.dump(expr(code))


def test_q_combinations_keep_double_quotes_and_grouping():
    code = "Q(a='x') | Q(b='y') & ~Q(c=1)"
    rendered = render(expr(code))
    assert rendered == 'Q(a="x") | (Q(b="y") & ~Q(c=1))'
    assert ast.dump(expr(rendered)) == ast.dump(expr(code))
