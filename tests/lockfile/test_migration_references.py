"""Rewriting migration references: before/after pairs (formatting kept byte for byte)."""

import textwrap

from migrate_assistant.migration_references import rewrite_migration, rewrite_migration_test

MIGRATION = textwrap.dedent(
    """\
    class Migration(CheckedMigration):
        # keep this comment
        dependencies = [
            migrations.swappable_dependency(settings.AUTH_USER_MODEL),
            ('sentry', '0008_feature'),  # the parent
            ("uptime", "0002_uptimeregion"),
        ]
        run_before = [("hybridcloud", "0003_x")]
        replaces = [("sentry", "0007_a"), ("sentry", "0008_feature")]

        operations = [migrations.RunSQL("('sentry', '0008_feature')")]
    """
)


def test_renames_apply_to_every_reference_list_and_nothing_else():
    after = rewrite_migration(
        MIGRATION,
        "m.py",
        {("sentry", "0008_feature"): ("sentry", "0009_feature"), ("hybridcloud", "0003_x"): ("hybridcloud", "0004_x")},
    )
    assert after == MIGRATION.replace(
        "('sentry', '0008_feature'),  # the parent", '("sentry", "0009_feature"),  # the parent'
    ).replace('run_before = [("hybridcloud", "0003_x")]', 'run_before = [("hybridcloud", "0004_x")]').replace(
        'replaces = [("sentry", "0007_a"), ("sentry", "0008_feature")]',
        'replaces = [("sentry", "0007_a"), ("sentry", "0009_feature")]',
    )
    assert "RunSQL(\"('sentry', '0008_feature')\")" in after


def test_a_chain_root_is_reparented_and_other_apps_stay():
    after = rewrite_migration(MIGRATION, "m.py", {}, parent=("sentry", "0009_main"))
    assert '("sentry", "0009_main"),  # the parent' in after
    assert '("uptime", "0002_uptimeregion")' in after and "swappable_dependency" in after


def test_migration_tests_follow_the_rename():
    source = textwrap.dedent(
        """\
        class BackfillTest(TestMigrations):
            migrate_from = "0007_organization_default_role_pending"
            migrate_to = "0008_feature"

            def test(self):
                assert True


        class OtherAppTest(TestMigrations):
            app = "uptime"
            migrate_from = "0002_uptimeregion"
            migrate_to = "0008_feature"
        """
    )
    renames = {("sentry", "0008_feature"): ("sentry", "0009_feature")}
    parents = {("sentry", "0009_feature"): ("sentry", "0008_main")}
    after = rewrite_migration_test(source, "t.py", lambda values: _app(values), renames, parents)
    assert after == source.replace('"0007_organization_default_role_pending"', '"0008_main"').replace(
        'migrate_to = "0008_feature"\n\n    def', 'migrate_to = "0009_feature"\n\n    def'
    )


def _app(values):
    node = values.get("app")
    return node.value if node is not None else "sentry"
