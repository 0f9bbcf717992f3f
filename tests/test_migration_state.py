from migrate_assistant.migration_graph import MigrationGraph
from migrate_assistant.migration_state import default_table, replay

from .helpers import migration_source, write_migrations

CREATE = """
migrations.CreateModel(
    name="Project",
    fields=[
        ("id", models.BigAutoField(primary_key=True, serialize=False)),
        ("status", models.IntegerField(default=0)),
        ("organization", sentry.db.models.fields.foreignkey.FlexibleForeignKey(on_delete=django.db.models.deletion.CASCADE, to="sentry.organization")),
        ("flags", models.BigIntegerField(db_default=0)),
    ],
    options={
        "db_table": "sentry_project",
        "indexes": [models.Index(fields=["status"], name="status_idx")],
        "unique_together": {("organization", "status")},
    },
),
"""


def state_of(tmp_path, migrations):
    files = write_migrations(tmp_path, "sentry", migrations)
    return replay(MigrationGraph.build(files), "sentry")


def test_create_model_records_fields_and_options(tmp_path):
    state = state_of(tmp_path, {"0001_initial": migration_source(operations=CREATE)})
    project = state.model("project")
    assert list(project.fields) == ["id", "status", "organization", "flags"]
    assert project.table == "sentry_project"
    assert [i.name for i in project.indexes] == ["status_idx"]
    assert project.unique_together == [("organization", "status")]
    organization = project.field("organization")
    assert organization.is_relation and organization.db_constraint and not organization.null
    assert organization.column == "organization_id" and organization.target == "sentry.organization"
    assert project.field("flags").has_db_default


def test_pending_deletions_follow_move_and_delete(tmp_path):
    state = state_of(
        tmp_path,
        {
            "0001_initial": migration_source(operations=CREATE),
            "0002_pending": migration_source(
                [("sentry", "0001_initial")],
                """
                migrations.AlterField(model_name="project", name="status", field=models.IntegerField(default=0, null=True)),
                migrations.RemoveIndex(model_name="project", name="status_idx"),
                SafeRemoveField(model_name="project", name="status", deletion_action=DeletionAction.MOVE_TO_PENDING),
                SafeRemoveField(model_name="project", name="flags", deletion_action=DeletionAction.MOVE_TO_PENDING),
                """,
            ),
            "0003_drop": migration_source(
                [("sentry", "0002_pending")],
                'SafeRemoveField(model_name="project", name="flags", deletion_action=DeletionAction["DELETE"]),',
            ),
        },
    )
    assert list(state.pending) == [("project", "status")]
    pending = state.pending[("project", "status")]
    assert pending.migration.name == "0002_pending" and pending.field_state.null
    assert pending.target == "sentry.Project.status"
    assert "status" not in state.model("project").fields
    assert state.model("project").indexes == []
    assert state.problems == []


def test_model_pending_and_rename(tmp_path):
    state = state_of(
        tmp_path,
        {
            "0001_initial": migration_source(operations=CREATE),
            "0002_rename": migration_source(
                [("sentry", "0001_initial")],
                """
                migrations.RenameField(model_name="project", old_name="status", new_name="state"),
                migrations.RenameModel(old_name="Project", new_name="Venture"),
                SafeDeleteModel(name="Venture", deletion_action=DeletionAction.MOVE_TO_PENDING),
                """,
            ),
        },
    )
    assert state.models == {}
    pending = state.pending[("venture", None)]
    assert pending.kind == "model" and pending.model_state.table == "sentry_project"
    assert "state" in pending.model_state.fields
    assert pending.model_state.unique_together == [("organization", "state")]


def test_delete_without_pending_is_reported(tmp_path):
    state = state_of(
        tmp_path,
        {
            "0001_initial": migration_source(operations=CREATE),
            "0002_drop": migration_source(
                [("sentry", "0001_initial")],
                'SafeRemoveField(model_name="project", name="status", deletion_action=DeletionAction.DELETE),',
            ),
        },
    )
    assert state.pending == {}
    assert "without an earlier MOVE_TO_PENDING" in state.problems[0]


def test_default_table_is_truncated_like_django():
    assert default_table("sentry", "ProjectBookmark") == "sentry_projectbookmark"
    long = default_table("workflow_engine", "A" * 80)
    assert len(long) == 63 and long.startswith("workflow_engine_aaaa")
