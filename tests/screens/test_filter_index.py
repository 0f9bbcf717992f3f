"""The filter's remembered answers are the answers a fresh index gives, whatever order queries come in."""

from migrate_assistant.screens.fuzzy import FilterIndex

KEYS = [
    "sentry",
    "sentry.Project",
    "sentry.Project.status",
    "sentry.ProjectBookmark",
    "sentry.ProjectBookmark.project",
    "sentry/0001_initial",
    "uptime",
    "uptime.UptimeRegion",
    "uptime/0002_uptimeregion",
]
NAMES = [key.replace("/", ".").rsplit(".", 1)[-1] for key in KEYS]


def test_typing_erasing_and_jumping_give_what_a_fresh_index_gives():
    index = FilterIndex(KEYS, NAMES)
    queries = ["p", "pr", "prj", "prjb", "prj", "pr", "upt", "uptime/0002", "up", "", "SENTRY.P", "sentry.p", "zz"]
    for query in queries:
        fresh = FilterIndex(KEYS, NAMES)
        assert index.matching(query) == fresh.matching(query), query
        assert index.ranked(query) == fresh.ranked(query), query
    assert [KEYS[n] for n in index.ranked("prjbkmrk")] == ["sentry.ProjectBookmark", "sentry.ProjectBookmark.project"]
    assert index.ranked("zz") == []


def test_a_long_session_forgets_old_queries_but_stays_right():
    index = FilterIndex(KEYS, NAMES)
    letters = "sentryupojc"
    for number in range(3 * FilterIndex.MEMO):  # distinct queries, many of them prefixes of others
        query = "".join(letters[int(digit)] for digit in str(number))
        assert index.matching(query) == FilterIndex(KEYS, NAMES).matching(query), query
        assert len(index._memo) <= FilterIndex.MEMO
