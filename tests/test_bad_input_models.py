"""Bad input to remove-model / remove: one clear message, exit 1, no file changed."""

import pytest

from migrate_assistant.migration_state import FieldState, ModelState
from migrate_assistant.recipes.remove_model import _dependents_first

from .conftest import tree_state
from .helpers import migration_source, write_migrations


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("remove-model", "sentry.Nope", "--phase", "1"), "unknown model 'Nope' in app 'sentry'"),
        (
            ("remove-model", "sentry.Project.status", "--phase", "1"),
            "malformed target 'sentry.Project.status': expected APP.Model",
        ),
        (("remove-model", "sentry.class", "--phase", "1"), "'class' is a Python keyword"),
        (("remove", "sentry", "--phase", "1"), "malformed target 'sentry': expected APP.Model"),
        (
            ("remove-model", "sentry.Team", "--phase", "1"),
            "sentry.Team is still referenced by sentry.ProjectTeam.team (FlexibleForeignKey), "
            "uptime.ProjectUptimeSubscription.owner_team (FlexibleForeignKey): remove those columns first",
        ),
        (("remove-model", "sentry.Project", "--phase", "1"), "sentry.Project is still referenced by"),
        (
            ("remove-model", "sentry.ProjectBookmark", "--phase", "2"),
            "sentry.ProjectBookmark is not pending deletion: run phase 1 first",
        ),
        (("remove-model", "sentry.Gone", "--phase", "2"), "sentry.Gone is not a model pending deletion"),
        (("remove-field", "sentry.ProjectBookmark", "--phase", "1"), "expected APP.Model.field"),
    ],
)
def test_refused(repo, cli, args, message):
    before = tree_state(repo)
    result = cli(repo, *args)
    assert result.code == 1, result.out
    assert message in result.err
    assert "Traceback" not in result.err
    assert tree_state(repo) == before


def refused(repo, cli, *args) -> str:
    before = tree_state(repo)
    result = cli(repo, *args)
    assert result.code == 1 and "Traceback" not in result.err
    assert tree_state(repo) == before
    return result.err


def test_twice_phase_one(repo, cli):
    assert cli(repo, "remove-model", "uptime.UptimeRegion", "--phase", "1").code == 0
    assert "uptime.UptimeRegion is already pending deletion (moved by uptime/0003_uptimeregion_pending)" in refused(
        repo, cli, "remove-model", "uptime.UptimeRegion", "--phase", "1"
    )


def test_model_without_silo_decorator(repo, cli):
    path = repo / "src/sentry/models/projectbookmark.py"
    path.write_text(path.read_text().replace("@region_silo_model\n", ""))
    assert "sentry.ProjectBookmark has no silo decorator" in refused(
        repo, cli, "remove-model", "sentry.ProjectBookmark", "--phase", "1"
    )


def test_table_goes_only_after_pending_columns_that_point_at_it(repo, cli):
    targets = ["uptime.ProjectUptimeSubscription.owner_team", "sentry.ProjectTeam", "sentry.Team"]
    assert cli(repo, "remove", *targets, "--phase", "1").code == 0
    err = refused(repo, cli, "remove-model", "sentry.ProjectTeam", "sentry.Team", "--phase", "2")
    assert "uptime.ProjectUptimeSubscription.owner_team (pending deletion) still point at sentry.Team" in err
    assert cli(repo, "remove", *targets, "--phase", "2").code == 0


def test_models_pointing_at_each_other_are_refused(tmp_path):
    from migrate_assistant.errors import AssistantError

    [migration] = write_migrations(tmp_path, "sentry", {"0001_initial": migration_source()})

    def model(name, target):
        state = ModelState("sentry", name)
        expr = __import__("ast").parse(f"models.ForeignKey(on_delete=models.CASCADE, to={target!r})", mode="eval").body
        state.fields["other"] = FieldState("other", expr, migration)
        return state

    a, b = model("A", "sentry.b"), model("B", "sentry.a")
    with pytest.raises(AssistantError, match="sentry.a, sentry.b point at each other"):
        _dependents_first([a, b], lambda item: "sentry", lambda item: item)
    c = model("C", "sentry.a")
    assert [item.name for item in _dependents_first([a, c], lambda item: "sentry", lambda item: item)] == ["C", "A"]
