"""fix-migration turns what makemigrations wrote for deleted code into Sentry's phase 1."""

import json

import git

from ..conftest import assert_no_model_changes, django, migrate, tree_state


def delete_code(repo) -> None:
    """A developer deletes two fields and a model, then runs makemigrations."""
    project = repo / "src/sentry/models/project.py"
    text = project.read_text()
    text = text.replace('    organization = FlexibleForeignKey("sentry.Organization")\n', "")
    text = text.replace('        unique_together = (("organization", "slug"),)\n', "")
    project.write_text(text.replace("    template_version = models.CharField(max_length=32)\n", ""))
    (repo / "src/sentry/models/projectbookmark.py").unlink()
    init = repo / "src/sentry/models/__init__.py"
    init.write_text(
        init.read_text()
        .replace("from sentry.models.projectbookmark import ProjectBookmark\n", "")
        .replace('    "ProjectBookmark",\n', "")
    )
    made = django(repo, "makemigrations", "sentry", "-n", "cleanup")
    assert made.returncode == 0, made.stderr


PATH = "src/sentry/migrations/0008_cleanup.py"


def test_generated_removals_become_phase_one(repo, database, cli):
    migrate(repo, database)
    delete_code(repo)
    before = json.loads(cli(repo, "check", "--format", "json").out)
    assert sorted(f["rule"] for f in before["findings"]) == ["MA001", "MA001", "MA002"]
    result = cli(repo, "fix-migration", PATH)
    assert result.code == 0, result.err
    text = (repo / PATH).read_text()
    assert "migrations.RemoveField" not in text and "migrations.DeleteModel" not in text
    assert text.count("deletion_action=DeletionAction.MOVE_TO_PENDING") == 3
    assert "from sentry.new_migrations.monkey.state import DeletionAction" in text
    assert '"sentry_projectbookmark": SiloMode.CELL,' in (repo / "src/sentry/db/router.py").read_text()
    assert json.loads(cli(repo, "check", "--format", "json").out)["findings"] == []
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert {"organization_id", "template_version"} <= database.columns("sentry_project")
    assert "sentry_projectbookmark" in database.tables()
    assert (
        "remove sentry.ProjectBookmark sentry.Project.organization sentry.Project.template_version --phase 2"
        in result.out
    )


def test_refused_for_a_migration_on_main_or_without_removals(repo, cli):
    delete_code(repo)
    with git.Repo(repo) as handle:
        handle.git.add(all=True)
        handle.index.commit("removals merged to main")
    before = tree_state(repo)
    shipped = cli(repo, "fix-migration", PATH)
    assert shipped.code == 1 and "exists on the main branch: a shipped migration is never rewritten" in shipped.err
    nothing = cli(repo, "fix-migration", "src/sentry/migrations/0006_projectbookmark.py")
    assert nothing.code == 1
    assert tree_state(repo) == before


def test_a_nullable_field_alone_needs_no_alter_field_and_still_becomes_phase_one(repo, database, cli):
    """The generated migration's only operation is rewritten (no AlterField goes before the Safe one)."""
    migrate(repo, database)
    project = repo / "src/sentry/models/project.py"
    text = project.read_text()
    start = text.index("    forced_color = models.CharField(")
    project.write_text(text[:start] + text[text.index("    first_event", start) :])
    made = django(repo, "makemigrations", "sentry", "-n", "drop_color")
    assert made.returncode == 0, made.stderr
    path = "src/sentry/migrations/0008_drop_color.py"
    result = cli(repo, "fix-migration", path)
    assert result.code == 0, result.err
    text = (repo / path).read_text()
    compile(text, path, "exec")
    assert "AlterField" not in text and "migrations.RemoveField(" not in text
    assert text.count("SafeRemoveField(") == 1 and "MOVE_TO_PENDING" in text
    uses_migrations = "migrations." in text.replace("new_migrations.", "")
    assert ("from django.db import migrations" in text) == uses_migrations  # never an unused import (F401)
    assert json.loads(cli(repo, "check", "--format", "json").out)["findings"] == []
    assert_no_model_changes(repo)
    migrate(repo, database)
    assert "forced_color" in database.columns("sentry_project")


def test_a_lone_delete_model_is_rewritten_and_the_import_only_it_used_goes(repo, cli):
    path = "src/sentry/uptime/migrations/0003_delete_uptimeregion.py"
    (repo / path).write_text(
        "from django.db import migrations\n\n"
        "from sentry.new_migrations.migrations import CheckedMigration\n\n\n"
        "class Migration(CheckedMigration):\n"
        "    is_post_deployment = False\n\n"
        '    dependencies = [\n        ("uptime", "0002_uptimeregion"),\n    ]\n\n'
        '    operations = [\n        migrations.DeleteModel(name="UptimeRegion"),\n    ]\n'
    )
    lockfile = repo / "migrations_lockfile.txt"
    lockfile.write_text(lockfile.read_text().replace("uptime: 0002_uptimeregion", "uptime: 0003_delete_uptimeregion"))
    result = cli(repo, "fix-migration", path)
    assert result.code == 0, result.err
    text = (repo / path).read_text()
    compile(text, path, "exec")
    assert "from django.db import migrations" not in text and "migrations.DeleteModel" not in text
    assert 'SafeDeleteModel(name="UptimeRegion", deletion_action=DeletionAction.MOVE_TO_PENDING)' in text
    assert '"uptime_uptimeregion": SiloMode.CELL,' in (repo / "src/sentry/db/router.py").read_text()
