"""Graph rules (MA013–MA020): one unsafe and one safe example each, on the sample repository in git."""

import json
from pathlib import Path

import git

from .test_rules import MOVE

SENTRY = "src/sentry/migrations"
UPTIME = "src/sentry/uptime/migrations"
HYBRIDCLOUD = "src/sentry/hybridcloud/migrations"
LEAF = ("sentry", "0007_organization_default_role_pending")
TEMPLATE = """\
from django.db import migrations, models

import sentry.db.models.fields.foreignkey
from sentry.new_migrations.migrations import CheckedMigration
from sentry.new_migrations.monkey.fields import SafeRemoveField
from sentry.new_migrations.monkey.state import DeletionAction


class Migration(CheckedMigration):
    is_post_deployment = {post}
{extra}
    dependencies = [
{dependencies}
    ]

    operations = [
{operations}
    ]
"""
NULLABLE_TEMPLATE = (
    'migrations.AlterField(model_name="project", name="template_version", '
    "field=models.CharField(max_length=32, null=True)),\n"
    f'SafeRemoveField(model_name="project", name="template_version", {MOVE}),'
)
INDEX = 'migrations.AddIndex(model_name="project", index=models.Index(fields=["name"], name="project_name_idx")),'


def write(repo, path, dependencies=(LEAF,), operations="", post=False, extra="") -> None:
    text = TEMPLATE.format(
        post=post,
        extra=extra,
        dependencies="\n".join(f"        {dep!r}," for dep in dependencies),
        operations="\n".join("        " + line for line in operations.splitlines()),
    )
    (repo / path).write_text(text.replace("'", '"'))


def lock(repo, **leaves) -> None:
    path = repo / "migrations_lockfile.txt"
    text = path.read_text()
    for app, name in leaves.items():
        text = "\n".join(f"{app}: {name}" if line.startswith(f"{app}: ") else line for line in text.split("\n"))
    path.write_text(text)


def findings(repo, cli, *args) -> list[dict]:
    result = cli(repo, "check", "--format", "json", *args)
    data = json.loads(result.out)
    assert result.code == (1 if data["findings"] else 0), result.err
    return data["findings"]


def rules(repo, cli) -> list[str]:
    return sorted(finding["rule"] for finding in findings(repo, cli))


def test_ma013_dependency_on_a_missing_migration(repo, cli):
    write(repo, f"{SENTRY}/0008_change.py", [LEAF, ("uptime", "0003_gone")], INDEX.replace('name"]', 'slug"]'))
    lock(repo, sentry="0008_change")
    [finding] = findings(repo, cli)
    assert finding["rule"] == "MA013" and finding["line"] == 14
    assert "depends on uptime/0003_gone, which does not exist" in finding["message"]
    assert "the leaf of uptime is 0002_uptimeregion" in finding["fix"]
    write(repo, f"{SENTRY}/0008_change.py", [LEAF, ("uptime", "0002_uptimeregion"), ("auth", "0012_gone")], INDEX)
    assert rules(repo, cli) == [], "an app outside the repository cannot be judged: not reported"


FK_TO_REGION = (
    'migrations.AddField(model_name="webhookpayload", name="region", field=sentry.db.models.fields.foreignkey.'
    'FlexibleForeignKey(null=True, on_delete=models.SET_NULL, to="uptime.uptimeregion")),'
)


def test_ma014_other_apps_model_without_a_dependency(repo, cli):
    write(repo, f"{HYBRIDCLOUD}/0003_region.py", [("hybridcloud", "0002_webhookpayload")], FK_TO_REGION)
    lock(repo, hybridcloud="0003_region")
    [finding] = findings(repo, cli)
    assert finding["rule"] == "MA014" and "points at uptime.uptimeregion" in finding["message"]
    assert finding["fix"] == 'Add ("uptime", "0002_uptimeregion") to its dependencies.'
    deps = [("hybridcloud", "0002_webhookpayload"), ("uptime", "0002_uptimeregion")]
    write(repo, f"{HYBRIDCLOUD}/0003_region.py", deps, FK_TO_REGION)
    assert rules(repo, cli) == []


def test_ma015_pre_deploy_after_post_deploy(repo, cli):
    write(repo, f"{SENTRY}/0008_index.py", [LEAF], INDEX, post=True)
    write(repo, f"{SENTRY}/0009_change.py", [("sentry", "0008_index")], "")
    lock(repo, sentry="0009_change")
    [finding] = findings(repo, cli)
    assert finding["rule"] == "MA015" and finding["path"] == f"{SENTRY}/0009_change.py"
    assert "depends on sentry/0008_index, which is post-deployment" in finding["message"]
    write(repo, f"{SENTRY}/0008_index.py", [LEAF], INDEX)
    write(repo, f"{SENTRY}/0009_change.py", [("sentry", "0008_index")], "", post=True)
    assert rules(repo, cli) == [], "post-deploy after pre-deploy is the normal order"


def test_ma016_conflict_markers_and_stale_entries(repo, cli):
    write(repo, f"{SENTRY}/0008_change.py", [LEAF], INDEX)
    path = repo / "migrations_lockfile.txt"
    clean = path.read_text()
    path.write_text(
        clean.replace("sentry: 0007", "<<<<<<< HEAD\nsentry: 0008_change\n=======\nsentry: 0007") + ">>>>>>> x\n"
    )
    [finding] = findings(repo, cli)
    assert finding["rule"] == "MA016" and finding["command"] == "migrate-assistant fix-lockfile"
    path.write_text(clean.replace("uptime: 0002_uptimeregion", "uptime: 0003_uptimeregion"))
    stale = [f for f in findings(repo, cli)]
    assert [f["rule"] for f in stale] == ["MA016", "MA016"]
    assert "says uptime: 0003_uptimeregion, which does not exist, but the leaf of uptime is 0002" in stale[1]["message"]
    assert (
        "says sentry: 0007_organization_default_role_pending, but the leaf of sentry is 0008_change"
        in (stale[0]["message"])
    )
    lock(repo, sentry="0008_change")
    path.write_text(path.read_text().replace("uptime: 0003_uptimeregion", "uptime: 0002_uptimeregion"))
    assert rules(repo, cli) == []


def test_ma017_two_leaves(repo, cli):
    write(repo, f"{SENTRY}/0008_mine.py", [LEAF], INDEX)
    write(repo, f"{SENTRY}/0008_theirs.py", [LEAF], "")
    assert "MA017" in rules(repo, cli)
    [finding] = [f for f in findings(repo, cli) if f["rule"] == "MA017"]
    assert "app sentry has 2 leaves (0008_mine, 0008_theirs)" in finding["message"]
    write(repo, f"{SENTRY}/0009_theirs.py", [("sentry", "0008_mine")], "")
    (repo / SENTRY / "0008_theirs.py").unlink()
    lock(repo, sentry="0009_theirs")
    assert rules(repo, cli) == []


def test_ma018_migration_from_main_edited_or_deleted(repo, cli):
    with git.Repo(repo) as handle:
        handle.git.checkout("-b", "feature")
    path = repo / SENTRY / "0006_projectbookmark.py"
    path.write_text(path.read_text().replace("operations = [", "operations = [  # tweaked"))
    [edited] = findings(repo, cli)
    assert edited["rule"] == "MA018" and edited["path"] == f"{SENTRY}/0006_projectbookmark.py"
    assert "exists on the main branch and was edited" in edited["message"]
    assert edited["line"] == path.read_text().splitlines().index("    operations = [  # tweaked") + 1
    with git.Repo(repo) as handle:
        handle.git.checkout("--", ".")
        handle.git.rm("-q", f"{UPTIME}/0002_uptimeregion.py")
        handle.index.commit("drop a migration")
    [deleted] = findings(repo, cli)
    assert deleted["rule"] == "MA018" and "was deleted on this branch" in deleted["message"]
    with git.Repo(repo) as handle:
        handle.git.checkout("main", "--", f"{UPTIME}/0002_uptimeregion.py")
    write(repo, f"{SENTRY}/0008_change.py", [LEAF], INDEX)
    lock(repo, sentry="0008_change")
    assert rules(repo, cli) == [], "adding a migration is not editing one"


def squash(repo, operations: str) -> None:
    pending = f'SafeRemoveField(model_name="uptimeregion", name="name", {MOVE}),'
    write(repo, f"{UPTIME}/0003_region_name_pending.py", [("uptime", "0002_uptimeregion")], pending)
    replaces = [("uptime", "0001_initial"), ("uptime", "0002_uptimeregion"), ("uptime", "0003_region_name_pending")]
    extra = f"    replaces = {replaces!r}\n    initial = True\n"
    write(
        repo,
        f"{UPTIME}/0001_squashed_0003_region_name_pending.py",
        [("sentry", "0005_environment")],
        operations,
        post=True,
        extra=extra,
    )
    lock(repo, uptime="0001_squashed_0003_region_name_pending")


def test_ma019_squash_that_loses_a_pending_deletion(repo, cli):
    squash(repo, 'migrations.CreateModel(name="UptimeRegion", fields=[("id", models.BigAutoField(primary_key=True))]),')
    [finding] = findings(repo, cli)
    assert finding["rule"] == "MA019" and finding["line"] == 11
    assert "move uptime.uptimeregion.name to pending deletion, but its own operations do not" in finding["message"]
    status = json.loads(cli(repo, "status", "--format", "json").out)
    assert status["lost_by_squash"] == [
        {
            "squash": "uptime/0001_squashed_0003_region_name_pending",
            "path": f"{UPTIME}/0001_squashed_0003_region_name_pending.py",
            "line": 11,
            "targets": ["uptime.uptimeregion.name"],
        }
    ]
    assert "Pending deletions lost by squash uptime/0001_squashed_0003_region_name_pending" in cli(repo, "status").out
    squash(
        repo,
        'migrations.CreateModel(name="UptimeRegion", fields=[("id", models.BigAutoField(primary_key=True)), '
        '("name", models.CharField(max_length=255, null=True))]),\n'
        f'SafeRemoveField(model_name="uptimeregion", name="name", {MOVE}),',
    )
    assert rules(repo, cli) == []
    assert json.loads(cli(repo, "status", "--format", "json").out)["lost_by_squash"] == []


DELETE_TEMPLATE = (
    'SafeRemoveField(model_name="project", name="template_version", deletion_action=DeletionAction.DELETE),'
)


def test_ma020_both_phases_in_one_branch(repo, cli):
    write(repo, f"{SENTRY}/0008_pending.py", [LEAF], NULLABLE_TEMPLATE)
    write(repo, f"{SENTRY}/0009_drop.py", [("sentry", "0008_pending")], DELETE_TEMPLATE)
    lock(repo, sentry="0009_drop")
    [finding] = findings(repo, cli)
    assert finding["rule"] == "MA020" and finding["path"] == f"{SENTRY}/0009_drop.py"
    assert "phase 1 and phase 2 of sentry.project.template_version are on the same branch" in finding["message"]
    (repo / SENTRY / "0009_drop.py").unlink()
    write(
        repo,
        f"{SENTRY}/0009_drop.py",
        [("sentry", "0008_pending")],
        DELETE_TEMPLATE.replace(
            'model_name="project", name="template_version"', 'model_name="organization", name="default_role"'
        ),
    )
    assert rules(repo, cli) == [], "phase 2 of a deletion whose phase 1 is on main"


def test_every_new_rule_is_listed_and_documented(repo, cli):
    data = json.loads(cli(repo, "check", "--format", "json").out)
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    for rule in [f"MA0{number}" for number in range(13, 22)]:
        assert rule in data["rules"] and f"| {rule} |" in readme, rule
