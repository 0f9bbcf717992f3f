"""A model whose Meta comes from an abstract base (issue 12): add-index keeps the inherited indexes,
rename-model keeps the names built from %(class)s."""

import pytest

from .conftest import assert_no_model_changes, django
from .test_relations_removal import make_migration

SQUAD = """

class Sluggable(Model):
    slug = models.SlugField()

    class Meta:
        abstract = True
        indexes = [models.Index(fields=["slug"], name="%(app_label)s_%(class)s_slug")]


@region_silo_model
class Squad(Sluggable):
    name = models.CharField(max_length=64)
"""


@pytest.fixture
def squad_repo(repo):
    path = repo / "src/sentry/models/team.py"
    path.write_text(path.read_text() + SQUAD)
    make_migration(repo, "sentry", "0008_squad", "0007_organization_default_role_pending")
    return repo


def test_add_index_keeps_the_inherited_indexes(squad_repo, cli):
    result = cli(squad_repo, "add-index", "sentry.Squad", "name")
    assert result.code == 0, result.err
    text = (squad_repo / "src/sentry/models/team.py").read_text()
    assert "    class Meta(Sluggable.Meta):\n        indexes = [*Sluggable.Meta.indexes, models.Index(" in text
    assert_no_model_changes(squad_repo)
    assert django(squad_repo, "check").returncode == 0


def test_rename_model_pins_index_names_built_from_the_class_name(squad_repo, cli):
    result = cli(squad_repo, "rename-model", "sentry.Squad", "Crew")
    assert result.code == 0, result.err
    text = (squad_repo / "src/sentry/models/team.py").read_text()
    assert "class Crew(Sluggable):\n" in text
    assert "    class Meta(Sluggable.Meta):\n" in text
    assert 'name="sentry_squad_slug"' in text and 'db_table = "sentry_squad"' in text
    assert_no_model_changes(squad_repo)
    check = django(squad_repo, "check")
    assert check.returncode == 0, check.stderr
