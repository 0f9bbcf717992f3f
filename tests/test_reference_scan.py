"""The reference scan's owner rule with the class spans of models modules cached by file stamp."""

import json
import os

from migrate_assistant.header_cache import HeaderCache, cache_file
from migrate_assistant.project import discover
from migrate_assistant.recipes.planning import Planner
from migrate_assistant.recipes.remove_field import plan_remove_fields
from migrate_assistant.recipes.rename_field import plan_rename_field
from migrate_assistant.references import field_searches

WIDGET = '''"""Not a model Django knows; its Meta makes it model-like for the owner rule."""


class Widget:
    class Meta:
        ordering = ["status"]


def active(projects):
    return projects.filter(status=1)
'''


def references(repo) -> set[tuple[str, int]]:
    plan = plan_remove_fields(discover(repo), ["sentry.Project.status"], 1)
    return {(reference.path, reference.line) for reference in plan.references}


def test_a_same_size_edit_reads_the_spans_again(repo):
    path = repo / "src/sentry/models/widget.py"
    path.write_text(WIDGET)
    meta_line, call_line = 6, 10
    cold = references(repo)
    assert ("src/sentry/models/widget.py", call_line) in cold
    assert ("src/sentry/models/widget.py", meta_line) not in cold  # Widget's own "status"
    cached = json.loads(HeaderCache(discover(repo).root, "spans").path.read_text())["files"]
    assert cached["src/sentry/models/widget.py"][-1] == [[4, 6, "Widget"]]
    assert references(repo) == cold

    before = path.stat()
    path.write_text(WIDGET.replace("class Meta:", "class Note:"))  # no Meta: no longer model-like
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert path.stat().st_size == before.st_size
    assert references(repo) == cold | {("src/sentry/models/widget.py", meta_line)}


# Whose ``self.name`` a line reads: the rename of Environment.name lists what may be Environment's.
MIXIN = """class NamedMixin:
    def display(self):
        return self.name  # listed: Environment inherits it


class LooseMixin:
    def display(self):
        return self.name  # listed: a plain class may be mixed into a subclass of Environment
"""

RELATIVES = """from django.db import models

from sentry.db.models import Model
from sentry.models.environment import Environment


def make_base():
    return Model


class Child(Environment):
    depth = models.IntegerField()

    def label(self):
        return self.name  # listed: a multi-table child has the field

    def rename(self):
        Child.objects.filter(pk=self.pk).update(name="x")  # listed: its keyword


class Other(Model):
    name = models.CharField(max_length=10)

    class Meta:
        app_label = "sentry"
        ordering = ["name"]  # not listed: Other's own field

    def __str__(self):
        return self.name  # not listed

    @classmethod
    def first(cls):
        return cls.name  # not listed

    def both(self, environment):
        return self.name or environment.name  # listed: environment.name

    class Nested:
        def label(self):
            return self.name  # listed: self is a Nested, whatever it is


class Loose(make_base()):
    name = models.CharField(max_length=10)

    def __str__(self):
        return self.name  # listed: its bases cannot be read
"""

FORMS = """from django import forms
from django.contrib import admin
from django.db import models


class LabelField(models.CharField):
    def check_label(self):
        return self.name  # not listed: the field's name


class EnvironmentForm(forms.Form):
    def clean(self):
        return self.name  # not listed: the form's


class EnvironmentAdmin(admin.ModelAdmin):
    def label(self, obj):
        return f"{self.name}: {obj.name}"  # listed: obj.name
"""


PROXY = """

class ProxyEnvironment(Environment):
    class Meta:
        proxy = True
        app_label = "sentry"
        ordering = ["name"]  # listed: a proxy's ordering names Environment's field

    def label(self):
        return self.name  # listed: a proxy has the field
"""


def scanned(repo) -> dict[tuple[str, int], str]:
    """The references to Environment.name, found as the field's details in the browser find them."""
    planner = Planner(discover(repo))
    planner.searches.extend(field_searches("sentry.Environment.name", "name", "Environment"))
    planner.start_reference_scan()
    return {(reference.path, reference.line): reference.text for reference in planner.references()}


def renamed(repo) -> dict[tuple[str, int], str]:
    plan = plan_rename_field(discover(repo), "sentry.Environment.name", "title")
    return {(reference.path, reference.line): reference.text for reference in plan.references}


def listed(found: dict[tuple[str, int], str], path: str) -> set[str]:
    """The comments of the lines listed in ``path`` (``listed: ...`` or ``not listed``)."""
    return {text.split("# ")[1] for (where, _), text in found.items() if where == path and "# " in text}


def add_relatives(repo, proxy: str) -> None:
    (repo / "src/sentry/models/mixins.py").write_text(MIXIN)
    (repo / "src/sentry/models/relatives.py").write_text(RELATIVES)
    (repo / "src/sentry/forms.py").write_text(FORMS)
    environment = repo / "src/sentry/models/environment.py"
    text = environment.read_text().replace("class Environment(Model):", "class Environment(NamedMixin, Model):")
    environment.write_text("from sentry.models.mixins import NamedMixin\n" + text + proxy)


def test_self_name_in_a_class_that_does_not_share_the_field_is_not_a_reference(repo):
    add_relatives(repo, PROXY)
    found = scanned(repo)
    assert ("src/sentry/models/project.py", 49) not in found  # Project.__str__: return self.name
    assert ("src/sentry/models/environment.py", 23) in found  # unique_together = (("organization_id", "name"),)
    assert not [place for place in found if place[0] == "src/sentry/db/models/fields/bounded.py"]  # a field's name
    assert listed(found, "src/sentry/models/mixins.py") == {
        "listed: Environment inherits it",
        "listed: a plain class may be mixed into a subclass of Environment",
    }
    assert listed(found, "src/sentry/models/relatives.py") == {
        "listed: a multi-table child has the field",
        "listed: its keyword",
        "listed: environment.name",
        "listed: self is a Nested, whatever it is",
        "listed: its bases cannot be read",
    }
    assert listed(found, "src/sentry/forms.py") == {"listed: obj.name"}
    assert listed(found, "src/sentry/models/environment.py") == {
        "listed: a proxy's ordering names Environment's field",
        "listed: a proxy has the field",
    }
    assert scanned(repo) == found  # the answers cached by file stamp are the same


def test_a_class_that_comes_to_derive_from_the_model_is_listed_again(repo):
    """The cached answers follow a change in another file: the base of a class."""
    (repo / "src/sentry/models/middle.py").write_text(
        "from sentry.db.models import Model\n\n\nclass Middle(Model):\n    class Meta:\n        abstract = True\n"
    )
    sibling = "from sentry.models.middle import Middle\n\n\nclass Sibling(Middle):\n    def label(self):\n"
    (repo / "src/sentry/models/sibling.py").write_text(sibling + "        return self.name\n")
    assert ("src/sentry/models/sibling.py", 6) not in scanned(repo)
    answers = json.loads(cache_file("owners", discover(repo).root).read_text())["answer"]
    key = "class:sentry.Environment.name:Environment:src/sentry/models/sibling.py:6"
    assert answers[key] is True  # kept for the next scan: Sibling's self.name is its own
    (repo / "src/sentry/models/middle.py").write_text(
        "from sentry.models.environment import Environment\n\n\nclass Middle(Environment):\n    pass\n"
    )
    assert ("src/sentry/models/sibling.py", 6) in scanned(repo)


def test_a_rename_reads_the_classes_of_the_files_it_edits(repo):
    add_relatives(
        repo,
        PROXY.replace("        ordering = [\"name\"]  # listed: a proxy's ordering names Environment's field\n", ""),
    )
    found = renamed(repo)
    assert listed(found, "src/sentry/models/environment.py") == {"listed: a proxy has the field"}  # its planned text
    assert "not listed" not in {text.split("# ")[-1] for text in found.values()}
    assert ("src/sentry/models/project.py", 49) not in found
