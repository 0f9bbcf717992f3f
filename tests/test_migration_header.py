"""The header read without a full parse must agree with ``ast``; the cache must never be stale."""

import json
from pathlib import Path

import pytest

from migrate_assistant.header_cache import HeaderCache
from migrate_assistant.migration_files import read_header
from migrate_assistant.project import discover

SHAPES = {
    "plain": 'class Migration(CheckedMigration):\n    is_post_deployment = True\n\n    dependencies = [\n        ("sentry", "0001_initial"),\n    ]\n',
    "tuple and comments": (
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):  # base\n"
        "    # a comment with ] and ( in it\n    dependencies = (\n        ('sentry', '0001_initial'),  # why ]\n"
        '        (\'uptime\', "0002_x"),\n    )\n    replaces = [("sentry", "0001_a"), ("sentry", "0002_b")]\n'
        "    initial = True\n"
    ),
    "swappable and annotation": (
        "class Migration(migrations.Migration):\n    atomic: bool = False\n    dependencies = [\n"
        '        migrations.swappable_dependency(settings.AUTH_USER_MODEL),\n        ("sentry", "0001_initial"),\n    ]\n'
        '    run_before = [("uptime", "0001_initial")]\n'
    ),
    "strings with brackets": (
        'class Migration(migrations.Migration):\n    dependencies = [("a", "0001_x")]\n\n'
        '    operations = [migrations.RunSQL("SELECT \'[\'", reverse_sql="""\n]\n""")]\n'
    ),
    "unusual layout falls back to ast": "class Migration(migrations.Migration): dependencies = [('a', '0001_x')]\n",
}


@pytest.mark.parametrize("shape", SHAPES)
def test_header_matches_a_full_parse(shape, tmp_path):
    import ast

    from migrate_assistant.pysource import string_pairs

    source = SHAPES[shape]
    header = read_header(source, tmp_path / "0002_x.py")
    tree = ast.parse(source)
    klass = next(node for node in tree.body if isinstance(node, ast.ClassDef))
    values = {}
    for stmt in klass.body:
        if isinstance(stmt, ast.Assign):
            values[stmt.targets[0].id] = stmt.value
        elif isinstance(stmt, ast.AnnAssign):
            values[stmt.target.id] = stmt.value
    assert header["dependencies"] == [list(p) if p else None for p in string_pairs(values.get("dependencies"))]
    assert header["replaces"] == [list(p) for p in string_pairs(values.get("replaces"))]
    assert header["run_before"] == [list(p) for p in string_pairs(values.get("run_before"))]
    for flag in ("initial", "is_post_deployment", "atomic"):
        if flag in values:
            assert header["flags"][flag] == values[flag].value


def test_a_changed_file_is_read_again(repo):
    def leaf():
        return discover(repo).index.graph.leaves("uptime")

    assert leaf() == ["0002_uptimeregion"]
    cached = json.loads(HeaderCache(discover(repo).root).path.read_text())["files"]
    assert "src/sentry/uptime/migrations/0002_uptimeregion.py" in cached
    folder = repo / "src/sentry/uptime/migrations"
    source = (folder / "0002_uptimeregion.py").read_text()
    (folder / "0003_more.py").write_text(source.replace("0001_initial", "0002_uptimeregion"))
    assert leaf() == ["0003_more"]
    (folder / "0003_more.py").write_text(
        source.replace('("uptime", "0001_initial")', '("uptime", "0001_initial"), ("sentry", "0005_environment")')
    )
    graph = discover(repo).index.graph
    assert graph.leaves("uptime") == ["0002_uptimeregion", "0003_more"]
    assert ("sentry", "0005_environment") in graph.parents[("uptime", "0003_more")]


def test_corrupt_cache_is_ignored(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("MIGRATE_ASSISTANT_CACHE_DIR", str(tmp_path / "c"))
    assert discover(repo).index.graph.nodes
    [cache] = (tmp_path / "c").glob("headers-*.json")
    cache.write_text("{not json")
    assert discover(repo).index.graph.leaves("sentry") == ["0007_organization_default_role_pending"]
    assert json.loads(cache.read_text())["files"]


def test_cache_can_be_turned_off(repo, monkeypatch, tmp_path):
    monkeypatch.setenv("MIGRATE_ASSISTANT_CACHE_DIR", "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert discover(repo).index.graph.leaves("sentry")
    assert not Path(tmp_path / "xdg").exists()
