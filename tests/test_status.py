import json

from .conftest import tree_state


def test_status_text(repo, cli):
    result = cli(repo, "status")
    assert result.code == 0
    assert "sentry       0007_organization_default_role_pending" in result.out
    assert "Lockfile: migrations_lockfile.txt agrees with the graph" in result.out
    assert "sentry.Organization.default_role  [field, sentry_organization.default_role]" in result.out
    assert "next: migrate-assistant remove-field sentry.Organization.default_role --phase 2" in result.out


def test_status_json_schema(repo, cli):
    before = tree_state(repo)
    data = json.loads(cli(repo, "status", "--format", "json").out)
    assert tree_state(repo) == before
    assert set(data) == {
        "root",
        "sentry_style",
        "convention",
        "lockfile",
        "apps",
        "pending_deletions",
        "problems",
        "deployment",
        "lifecycle",
        "lost_by_squash",
        "graph_problems",
        "notes",
    }
    assert data["graph_problems"] == []
    assert data["sentry_style"] is True and data["convention"] == "sentry"
    assert data["lockfile"] == {"path": "migrations_lockfile.txt", "conflicted": False, "ok": True}
    assert [app["label"] for app in data["apps"]] == ["hybridcloud", "sentry", "uptime"]
    sentry = data["apps"][1]
    assert sentry == {
        "label": "sentry",
        "path": "src/sentry/migrations",
        "leaf": "0007_organization_default_role_pending",
        "leaves": ["0007_organization_default_role_pending"],
        "locked": "0007_organization_default_role_pending",
        "lockfile_ok": True,
        "unreadable": [],
    }
    assert data["pending_deletions"] == [
        {
            "target": "sentry.Organization.default_role",
            "kind": "field",
            "table": "sentry_organization",
            "column": "default_role",
            "migration": "sentry/0007_organization_default_role_pending",
            "command": "migrate-assistant remove-field sentry.Organization.default_role --phase 2",
        }
    ]
    assert data["problems"] == []


def test_status_reports_lockfile_disagreement_and_conflicts(repo, cli):
    path = repo / "migrations_lockfile.txt"
    path.write_text(path.read_text().replace("uptime: 0002_uptimeregion", "uptime: 0001_initial"))
    data = json.loads(cli(repo, "status", "--format", "json").out)
    assert data["lockfile"]["ok"] is False
    assert [app["lockfile_ok"] for app in data["apps"]] == [True, True, False]
    assert "lockfile says 0001_initial" in cli(repo, "status").out
    path.write_text(path.read_text() + "<<<<<<< HEAD\n")
    text = cli(repo, "status")
    assert text.code == 0 and "has conflict markers" in text.out


def test_status_walks_up_from_a_subdirectory(repo, cli):
    assert cli(repo / "src" / "sentry" / "models", "status").code == 0
