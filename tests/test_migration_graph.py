import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.migration_graph import MigrationGraph, parse_number

from .helpers import migration_source, write_migrations


@pytest.mark.parametrize(
    ("name", "number"),
    [("0001_initial", 1), ("1195_grouprulestatus_pending", 1195), ("0001_squashed_0118_x", 118), ("auto", None)],
)
def test_parse_number_follows_django(name, number):
    assert parse_number(name) == number


def test_squashed_migration_replaces_its_nodes_and_numbering_continues(tmp_path):
    files = write_migrations(
        tmp_path,
        "sentry",
        {
            "0001_initial": migration_source(),
            "0002_b": migration_source([("sentry", "0001_initial")]),
            "0001_squashed_0002_b": migration_source(replaces=[("sentry", "0001_initial"), ("sentry", "0002_b")]),
            "0003_c": migration_source([("sentry", "0002_b")]),
        },
    )
    graph = MigrationGraph.build(files)
    assert graph.app_names("sentry") == ["0001_squashed_0002_b", "0003_c"]
    assert graph.parents[("sentry", "0003_c")] == [("sentry", "0001_squashed_0002_b")]
    assert graph.leaves("sentry") == ["0003_c"]
    assert graph.next_number("sentry") == 4


def test_squashed_head_numbers_from_its_second_number(tmp_path):
    files = write_migrations(tmp_path, "uptime", {"0001_squashed_0055_backfill": migration_source()})
    assert MigrationGraph.build(files).next_number("uptime") == 56


def test_several_leaves_are_a_conflict(tmp_path):
    files = write_migrations(
        tmp_path,
        "sentry",
        {
            "0001_initial": migration_source(),
            "0002_a": migration_source([("sentry", "0001_initial")]),
            "0002_b": migration_source([("sentry", "0001_initial")]),
        },
    )
    graph = MigrationGraph.build(files)
    assert graph.leaves("sentry") == ["0002_a", "0002_b"]
    with pytest.raises(AssistantError, match="2 leaf migrations"):
        graph.leaf("sentry")


def test_cross_app_and_special_dependencies(tmp_path):
    files = write_migrations(
        tmp_path,
        "sentry",
        {"0001_initial": migration_source(), "0002_x": migration_source([("sentry", "0001_initial")])},
    )
    files += write_migrations(
        tmp_path,
        "uptime",
        {"0001_initial": migration_source([("sentry", "__latest__"), ("auth", "0012_external")])},
    )
    graph = MigrationGraph.build(files)
    assert graph.parents[("uptime", "0001_initial")] == [("sentry", "0002_x"), ("auth", "0012_external")]
    assert graph.leaves("sentry") == ["0002_x"]
    assert [m.name for m in graph.app_order("sentry")] == ["0001_initial", "0002_x"]
