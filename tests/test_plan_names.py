"""What a plan tells the user to do next, and the branch it would be committed on."""

from migrate_assistant.plan import Plan, branch_slug


def test_a_long_branch_name_is_cut_between_words():
    plan = Plan("Rename field uptime.ProjectUptimeSubscription.uptime_subscription to monitor", [], 0, [])
    name = plan.branch_name
    slug = name.removeprefix("migrate-assistant/")
    assert len(slug) <= 60 and "rename-field-uptime-projectuptimesubscription" in slug
    assert all(
        part in "rename field uptime projectuptimesubscription uptime subscription to monitor".split()
        for part in slug.split("-")
    )
    assert Plan("Remove model a.B", [], 0, []).branch_name == "migrate-assistant/remove-model-a-b"


def test_updating_code_references_is_a_next_step_only_when_there_are_some(repo, cli):
    (repo / "src/sentry/api").mkdir()
    (repo / "src/sentry/api/serializers.py").write_text(
        "def serialize(project):\n    return project.template_version\n"
    )
    with_references = cli(repo, "rename-field", "sentry.Project.template_version", "template_revision")
    assert with_references.code == 0, with_references.err
    assert "1 code reference(s)" in with_references.err
    assert "- Update the 1 code reference(s) listed with this plan to use template_revision" in with_references.out
    assert "Code to update" not in with_references.out
    without = cli(repo, "rename-field", "sentry.Project.first_event", "first_seen")
    assert without.code == 0, without.err
    assert "listed with this plan" not in without.out and "Next:" in without.out


def test_a_branch_name_leaves_out_py_and_a_dangling_word():
    long = Plan("Rewrite shop/migrations/0002_remove_project_flags_platform.py as phase 1", [], 0, [])
    assert long.branch_name == "migrate-assistant/rewrite-shop-migrations-0002-remove-project-flags-platform"
    assert branch_slug("Rename field shop.Project.a_rather_long_field_name_here to b", 50) == (
        "rename-field-shop-project-a-rather-long-field-name"
    )


def test_a_long_branch_name_leaves_out_what_is_in_parentheses_first():
    title = "Remove field shop.Project.first_event — both phases (Safe.before_deploy, then Safe.after_deploy)"
    assert branch_slug(title) == "remove-field-shop-project-first-event-both-phases"
    assert branch_slug("Add index (large table)") == "add-index-large-table", "kept when it fits"
