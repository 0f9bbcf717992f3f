import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.lockfile import Lockfile

HEADER = """\
Django migrations lock file. This helps us avoid migration conflicts on master.
If you have a conflict in this file, it means that someone has committed a migration
ahead of you.

To resolve this, rebase against latest master and regenerate your migration. This file
will then be regenerated, and you should be able to merge without conflicts.

"""


SENTRY = HEADER + "hybridcloud: 0002_x\n\nsentry: 1124_weeklyreport\n\nuptime: 0001_squashed_0055_y\n"


def test_round_trip_keeps_the_exact_format():
    assert Lockfile.parse(SENTRY).render() == SENTRY


def test_update_keeps_order_separator_and_header():
    updated = Lockfile.parse(SENTRY).updated({"sentry": "1125_next", "explore": "0001_initial"}).render()
    assert updated == HEADER + (
        "explore: 0001_initial\n\nhybridcloud: 0002_x\n\nsentry: 1125_next\n\nuptime: 0001_squashed_0055_y\n"
    )


def test_older_single_newline_format_is_kept():
    text = "Header line.\n\nsentry: 0563_x\nsocial_auth: 0001_initial\n"
    assert Lockfile.parse(text).updated({"sentry": "0564_y"}).render() == (
        "Header line.\n\nsentry: 0564_y\nsocial_auth: 0001_initial\n"
    )


def test_conflict_markers_are_refused():
    text = HEADER + "<<<<<<< HEAD\nsentry: 0008_a\n=======\nsentry: 0008_b\n>>>>>>> branch\n"
    with pytest.raises(AssistantError, match="conflict markers"):
        Lockfile.parse(text)


def test_garbage_line_is_refused():
    with pytest.raises(AssistantError, match="unexpected line"):
        Lockfile.parse(HEADER + "sentry: 0001_initial\nnot an entry\n")
