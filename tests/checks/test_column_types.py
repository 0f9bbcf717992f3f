"""MA007 knows Django's implicit max_length defaults and field subclasses that keep their column type."""

from __future__ import annotations

import json

import pytest
from django.db import models
from django.db.backends.postgresql.base import DatabaseWrapper

from migrate_assistant.checks import IMPLICIT_MAX_LENGTH, VARCHAR_FIELDS

FOLDER = "src/sentry/migrations"
MIGRATION = """\
from django.db import migrations, models

{imports}

class Migration(migrations.Migration):
    dependencies = [("sentry", "{parent}")]

    operations = [
        migrations.{kind}(model_name="project", name="{name}", field={field}),
    ]
"""
FIELDS_MODULE = """\
from django.db import models
from django.db.models import JSONField


class LegacyJSONField(JSONField):
    def from_db_value(self, value, expression, connection):
        return value


class NamedJSONField(LegacyJSONField):
    pass


class TextJSONField(models.JSONField):
    def db_type(self, connection):
        return "text"
"""


def test_implicit_max_lengths_are_djangos():
    for name, length in IMPLICIT_MAX_LENGTH.items():
        assert getattr(models, name)().max_length == length, name
    assert models.CharField().max_length is None
    for name in VARCHAR_FIELDS:
        column = DatabaseWrapper.data_types[getattr(models, name)().get_internal_type()]
        column = column({"max_length": 10}) if callable(column) else column
        assert column.startswith("varchar"), name


def alter(repo, cli, added: str, altered: str, imports: str = "") -> list[dict]:
    """Add ``project.extra`` as ``added``, then alter it to ``altered``; the MA007 findings of the second."""
    (repo / FOLDER / "0008_add.py").write_text(
        MIGRATION.format(
            imports=imports,
            parent="0007_organization_default_role_pending",
            kind="AddField",
            name="extra",
            field=added,
        )
    )
    (repo / FOLDER / "0009_alter.py").write_text(
        MIGRATION.format(imports=imports, parent="0008_add", kind="AlterField", name="extra", field=altered)
    )
    data = json.loads(cli(repo, "check", "--format", "json", f"{FOLDER}/0009_alter.py").out)
    return [finding for finding in data["findings"] if finding["rule"] == "MA007"]


@pytest.mark.parametrize(
    ("added", "altered"),
    [
        ("models.URLField(null=True)", "models.URLField(max_length=2048, null=True)"),
        ("models.URLField(null=True)", "models.URLField(max_length=200, null=True)"),
        ("models.EmailField(null=True)", "models.CharField(max_length=300, null=True)"),
        ("models.CharField(max_length=100, null=True)", "models.EmailField(null=True)"),
        ("models.SlugField(null=True)", "models.TextField(null=True)"),
        ("models.CharField(max_length=100, null=True)", "models.CharField(null=True)"),
        ("models.GenericIPAddressField(null=True)", "models.GenericIPAddressField(max_length=39, null=True)"),
    ],
)
def test_widening_with_implicit_defaults_is_allowed(repo, cli, added, altered):
    assert alter(repo, cli, added, altered) == []


@pytest.mark.parametrize(
    ("added", "altered"),
    [
        ("models.URLField(null=True)", "models.URLField(max_length=100, null=True)"),
        ("models.EmailField(null=True)", "models.CharField(max_length=200, null=True)"),
        ("models.CharField(null=True)", "models.SlugField(null=True)"),
        ("models.URLField(null=True)", "models.IntegerField(null=True)"),
        ("models.CharField(max_length=LENGTH, null=True)", "models.CharField(max_length=300, null=True)"),
    ],
)
def test_narrowing_or_changing_is_flagged(repo, cli, added, altered):
    findings = alter(repo, cli, added, altered, imports="import os\n\nLENGTH = int(os.environ.get('LENGTH', '10'))\n")
    assert len(findings) == 1, findings


def test_a_subclass_that_keeps_the_column_type_is_no_type_change(repo, cli):
    (repo / "src/sentry/db/models/fields/jsonfield.py").write_text(FIELDS_MODULE)
    imports = "import sentry.db.models.fields.jsonfield\nfrom sentry.db.models.fields.jsonfield import NamedJSONField\n"
    legacy = "sentry.db.models.fields.jsonfield.LegacyJSONField(null=True)"
    assert alter(repo, cli, "models.JSONField(null=True)", legacy, imports) == []
    assert alter(repo, cli, legacy, "NamedJSONField(null=True)", imports) == []
    assert alter(repo, cli, "NamedJSONField(null=True)", "models.JSONField(null=True)", imports) == []


def test_a_subclass_with_its_own_column_type_or_unreadable_is_flagged_saying_why(repo, cli):
    (repo / "src/sentry/db/models/fields/jsonfield.py").write_text(FIELDS_MODULE)
    imports = "import sentry.db.models.fields.jsonfield\nfrom nowhere.fields import MysteryField\n"
    text = "sentry.db.models.fields.jsonfield.TextJSONField(null=True)"
    [own] = alter(repo, cli, "models.JSONField(null=True)", text, imports)
    assert "TextJSONField (src/sentry/db/models/fields/jsonfield.py:14) defines db_type" in own["message"]
    [unknown] = alter(repo, cli, "models.JSONField(null=True)", "MysteryField(null=True)", imports)
    assert "MysteryField cannot be read (module nowhere.fields not found" in unknown["message"]
