"""add_silo_assignment: before/after source pairs."""

import textwrap

import pytest

from migrate_assistant.codemods.router import add_silo_assignment
from migrate_assistant.errors import AssistantError


def check(before: str, after: str, table: str = "sentry_projectbookmark", silo: str = "SiloMode.CELL") -> None:
    result = add_silo_assignment(textwrap.dedent(before), "router.py", table, silo)
    assert result == textwrap.dedent(after)


def test_empty_dict_becomes_a_multiline_dict():
    check(
        """\
        class SiloRouter:
            historical_silo_assignments = {}
        """,
        """\
        class SiloRouter:
            historical_silo_assignments = {
                "sentry_projectbookmark": SiloMode.CELL,
            }
        """,
    )


def test_sorted_dict_gets_the_entry_in_order():
    check(
        """\
        class SiloRouter:
            historical_silo_assignments = {
                "authidentity_duplicate": SiloMode.CONTROL,
                "sentry_email": SiloMode.CONTROL,
                "uptime_projectuptimesubscription": SiloMode.CELL,
            }
        """,
        """\
        class SiloRouter:
            historical_silo_assignments = {
                "authidentity_duplicate": SiloMode.CONTROL,
                "sentry_email": SiloMode.CONTROL,
                "sentry_projectbookmark": SiloMode.CELL,
                "uptime_projectuptimesubscription": SiloMode.CELL,
            }
        """,
    )


def test_first_and_last_positions_of_a_sorted_dict():
    before = """\
    historical_silo_assignments = {
        "m": SiloMode.CELL,  # the m table
    }
    """
    check(
        before,
        """\
        historical_silo_assignments = {
            "a": SiloMode.CONTROL,
            "m": SiloMode.CELL,  # the m table
        }
        """,
        "a",
        "SiloMode.CONTROL",
    )
    check(
        before,
        """\
        historical_silo_assignments = {
            "m": SiloMode.CELL,  # the m table
            "z": SiloMode.CELL,
        }
        """,
        "z",
    )


def test_comments_stay_with_their_entries():
    check(
        """\
        class SiloRouter:
            historical_silo_assignments = {
                # Tables removed from the code base that old migrations still refer to.
                "sentry_dashboardtombstone": SiloMode.CELL,  # removed in 2025
                # the email model moved to control
                "sentry_email": SiloMode.CONTROL,
                "sentry_oldtable": SiloMode.CELL,
            }
        """,
        """\
        class SiloRouter:
            historical_silo_assignments = {
                # Tables removed from the code base that old migrations still refer to.
                "sentry_dashboardtombstone": SiloMode.CELL,  # removed in 2025
                "sentry_dashboardtombstonf": SiloMode.CELL,
                # the email model moved to control
                "sentry_email": SiloMode.CONTROL,
                "sentry_oldtable": SiloMode.CELL,
            }
        """,
        "sentry_dashboardtombstonf",
    )
    check(
        """\
        historical_silo_assignments = {
            # all of these are region tables
            "b": SiloMode.REGION,
        }
        """,
        """\
        historical_silo_assignments = {
            # all of these are region tables
            "a": SiloMode.REGION,
            "b": SiloMode.REGION,
        }
        """,
        "a",
        "SiloMode.REGION",
    )


def test_unsorted_dict_gets_the_entry_at_the_end_and_quotes_are_kept():
    check(
        """\
        historical_silo_assignments = {
            'zeta': SiloMode.CELL,
            'alpha': SiloMode.CELL
        }
        """,
        """\
        historical_silo_assignments = {
            'zeta': SiloMode.CELL,
            'alpha': SiloMode.CELL,
            'sentry_projectbookmark': SiloMode.CELL
        }
        """,
    )


def test_single_line_dict_and_existing_entry():
    check(
        'historical_silo_assignments = {"a": SiloMode.CELL}\n',
        'historical_silo_assignments = {"a": SiloMode.CELL, "sentry_projectbookmark": SiloMode.CELL}\n',
    )
    same = 'historical_silo_assignments = {"sentry_projectbookmark": SiloMode.CELL}\n'
    check(same, same)


def test_missing_dict_is_an_error():
    with pytest.raises(AssistantError, match="no `historical_silo_assignments"):
        add_silo_assignment("class SiloRouter:\n    pass\n", "router.py", "t", "SiloMode.CELL")
