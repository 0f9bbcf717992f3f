"""The browser shows each pending deletion's deployment lifecycle, what the static reader cannot read, and a
broken migration graph (real git history and config, the sample repository)."""

import subprocess
from datetime import datetime, timedelta

from .keys import SIZE, make_app, select, settle

TARGET = "sentry.Organization.default_role"


def git(repo, *args) -> str:
    result = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def configure(repo, line: str) -> None:
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text() + line + "\n")
    git(repo, "commit", "-q", "-am", "config")


def shown(app, selector: str) -> str:
    return str(app.screen.query_one(selector).render())


def badges(app, key: str) -> list[str]:
    return [badge.text for badge in app.schema.nodes[app.schema.find(key)].badges]


async def test_forgotten_phase_2_badge_and_lifecycle_details(repo, monkeypatch):
    configure(repo, 'deployed-ref = "production"')
    git(repo, "branch", "production")
    initial = datetime.fromisoformat(git(repo, "log", "--reverse", "--format=%cI").splitlines()[0])
    monkeypatch.setenv("MIGRATE_ASSISTANT_NOW", (initial + timedelta(days=17)).isoformat())
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert badges(app, TARGET) == ["forgotten", "phase 1 deployed · 17 d"]
        row = app.screen.view._row_text(app.schema.find(TARGET), 200).plain
        assert row.strip().startswith("default_role  [forgotten]  [phase 1 deployed · 17 d]  moved by sentry/0007")
        await select(pilot, TARGET)
        details = shown(app, "#details")
        day = initial.date().isoformat()
        assert "git ref production" in details
        assert "sentry/0007_organization_default_role_pending" in details
        assert f"merged {day}" in details and f"deployed {day}" in details
        assert "phase 2        not written" in details
        assert "17 days since phase 1 deployed" in details
        assert "Forgotten: phase 1 deployed more than 14 days ago" in details
        assert f"next: migrate-assistant remove-field {TARGET} --phase 2" in details


async def test_without_a_deployment_source_the_details_say_deployed_is_unknown_and_what_to_set(repo):
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, TARGET)
        lines = shown(app, "#details").splitlines()
        source = lines.index("deploy source  none configured: whether a phase has deployed is unknown")
        assert lines[source + 1].strip() == (
            "set deployed-ref (a git ref, or a tag pattern) or database-url in [tool.migrate-assistant]"
        )
        assert "               whether deployed: unknown — no deployment source configured" in lines
        assert not [line for line in lines if line.startswith("deployed")]  # no row reads as a status


async def test_a_failing_deployment_source_is_said_in_the_details(repo):
    configure(repo, 'deployed-ref = "nowhere"')
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.load_error is None
        assert badges(app, TARGET) == ["phase 1 merged"]
        await select(pilot, TARGET)
        details = shown(app, "#details")
        assert "unknown: the deployment source failed (deployed-ref nowhere: no such git ref)" in details
        assert "deployed: unknown" in details


async def test_unreadable_parts_are_badges_and_details_and_a_broken_graph_is_in_the_banner(repo):
    migrations = repo / "src/sentry/migrations"
    (migrations / "0008_dynamic.py").write_text(
        "from django.db import migrations\nfrom sentry.ops import build\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('sentry', '0007_organization_default_role_pending')]\n"
        "    operations = [migrations.AlterField('project', 'platform', field=build())]\n"
    )
    (repo / "src/sentry/uptime/migrations/0003_broken.py").write_text("class Migration(:\n")
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert app.load_error is None
        assert badges(app, "sentry.Project")[0] == "unreadable"
        assert "1 unreadable" in badges(app, "sentry")
        assert "1 unreadable" in badges(app, "uptime")
        await select(pilot, "sentry.Project")
        details = shown(app, "#details")
        lines = details.splitlines()
        assert "src/sentry/migrations/0008_dynamic.py:7 field build() is not a field class call" in " ".join(
            details.split()
        )
        assert any(line.startswith("  src/sentry/uptime/migrations/0003_broken.py:1:") for line in lines), lines
        await select(pilot, "uptime")
        assert "src/sentry/uptime/migrations/0003_broken.py:1" in shown(app, "#details")
        banner = app.screen.query_one("#banner")
        assert banner.display and banner.has_class("error")
        text = shown(app, "#banner")
        assert "The migration graph is broken" in text and "src/sentry/uptime/migrations/0003_broken.py:1:" in text


async def test_details_of_a_model_or_field_whose_migrations_cannot_be_read_keep_what_is_known(repo):
    """pretix: a custom operation in one migration made every field's and many models' details a single red
    error line (no file, no references)."""
    (repo / "src/sentry/migrations/0008_custom.py").write_text(
        "from django.db import migrations\nfrom sentry.ops import CleanDuplicates\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('sentry', '0007_organization_default_role_pending')]\n"
        "    operations = [CleanDuplicates('project')]\n"
    )
    app = make_app(repo)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await select(pilot, "sentry.Project.platform")
        details = shown(app, "#details")
        assert details.startswith("sentry.Project.platform  field\nfile      src/sentry/models/project.py:"), details
        assert "src/sentry/migrations/0008_custom.py:7" in details and "Code references (" in details
        await select(pilot, "uptime.UptimeSubscription")  # its inbound relations would be read from sentry's
        details = shown(app, "#details")
        assert details.startswith("uptime.UptimeSubscription  model\nfile "), details
        assert "\nFields\n" in details and "src/sentry/migrations/0008_custom.py:7" in details
