"""The model index: models under module-level blocks, abstract bases anywhere (repository, installed packages,
``python-path``), fields whose classes are not named like fields, and bases that cannot be read."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.project import discover
from migrate_assistant.targets import resolve_field

MIGRATION = "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = []\n"


def write_tree(root: Path, files: dict[str, str]) -> Path:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip())
    return root


def app(package: str, models: str, extra: dict[str, str] | None = None) -> dict[str, str]:
    """An app package with an empty first migration, its models module and more files."""
    files = {
        f"{package}/__init__.py": "",
        f"{package}/migrations/__init__.py": "",
        f"{package}/migrations/0001_initial.py": MIGRATION,
        f"{package}/models.py": models,
    }
    return {**files, **(extra or {})}


def test_models_under_a_module_level_if_with_abstract_bases_from_a_star_import(tmp_path):
    """django-oscar: every model is ``if not is_model_registered(...): class Product(AbstractProduct)``."""
    models = """
        from shop.core.loading import is_model_registered
        from shop.catalogue.abstract_models import *  # noqa

        __all__ = []

        if not is_model_registered("catalogue", "Product"):
            class Product(AbstractProduct):
                pass

            __all__.append("Product")

        try:
            from shop.catalogue.extra import Extra  # noqa
        except ImportError:
            class Category(AbstractCategory):
                colour = models.CharField(max_length=10)
    """
    abstract = """
        from django.db import models
        from django.utils.translation import gettext_lazy as _


        class AbstractCategory(models.Model):
            name = models.CharField(_("Name"), max_length=255, db_index=True)

            class Meta:
                abstract = True


        class AbstractProduct(models.Model):
            title = models.CharField(max_length=255, blank=True)
            category = models.ForeignKey("catalogue.Category", on_delete=models.CASCADE)

            class Meta:
                abstract = True
                app_label = "catalogue"
    """
    extra = {
        "shop/catalogue/abstract_models.py": abstract,
        "shop/__init__.py": "",
        "shop/core/__init__.py": "",
        "shop/core/loading.py": "def is_model_registered(app, name):\n    return False\n",
    }
    root = write_tree(tmp_path, app("shop/catalogue", models, extra))
    index = discover(root).index
    product = index.model_source("catalogue", "Product")
    assert product is not None and product.complete, product and product.unresolved
    assert set(product.all_fields()) == {"title", "category"}
    assert product.inherited == {"title": "AbstractProduct", "category": "AbstractProduct"}
    category = index.model_source("catalogue", "Category")
    assert set(category.all_fields()) == {"name", "colour"}
    assert {m.name for m in index.models["catalogue"] if m.concrete} == {"Product", "Category"}


def test_abstract_base_in_a_package_that_is_not_an_app(tmp_path):
    """netbox: ``NetBoxModel`` lives in ``netbox/models/__init__.py``, re-exported from submodules."""
    files = app(
        "netbox/dcim",
        """
        from django.db import models

        from netbox.models import NetBoxModel


        class Site(NetBoxModel):
            name = models.CharField(max_length=100)

            def tags(self):
                return []
        """,
        {
            "netbox/netbox/__init__.py": "",
            "netbox/netbox/models/__init__.py": """
                from django.db import models

                from .features import *
                from . import mixins as m


                class NetBoxModel(m.CustomFieldsMixin, TagsMixin, models.Model):
                    created = models.DateTimeField(auto_now_add=True, null=True)

                    class Meta:
                        abstract = True
            """,
            "netbox/netbox/models/features.py": """
                from django.db import models
                from taggit.managers import TaggableManager

                __all__ = ("TagsMixin",)


                class TagsMixin(models.Model):
                    tags = TaggableManager(through="extras.TaggedItem")

                    class Meta:
                        abstract = True
            """,
            "netbox/netbox/models/mixins.py": """
                from django.db import models
                from django.db.models import JSONField as Json


                class CustomFieldsMixin(models.Model):
                    custom_field_data = Json(blank=True, default=dict)

                    class Meta:
                        abstract = True
            """,
        },
    )
    root = write_tree(tmp_path, files)
    site = discover(root).index.model_source("dcim", "Site")
    assert site is not None
    # tags is shadowed by the method: Django does not inherit a field over a class attribute.
    assert set(site.all_fields()) == {"name", "created", "custom_field_data"}
    assert site.inherited["custom_field_data"] == "CustomFieldsMixin"
    [unreadable] = site.unresolved  # taggit is not installed here: that is said, with file and line
    assert unreadable.startswith("netbox/netbox/models/features.py:8: tags = TaggableManager(...) of TagsMixin")
    assert "module taggit.managers not found: set python-path" in unreadable


def test_abstract_user_from_the_installed_django(tmp_path):
    root = write_tree(
        tmp_path,
        app(
            "accounts",
            """
            from django.contrib.auth.models import AbstractUser
            from django.db import models


            class User(AbstractUser):
                nickname = models.CharField(max_length=30)
            """,
        ),
    )
    user = discover(root).index.model_source("accounts", "User")
    assert user is not None and user.complete
    expected = {"password", "last_login", "is_superuser", "groups", "user_permissions", "username", "first_name"}
    expected |= {"last_name", "email", "is_staff", "is_active", "date_joined", "nickname"}
    assert set(user.all_fields()) == expected
    assert user.inherited["groups"] == "PermissionsMixin" and user.inherited["password"] == "AbstractBaseUser"


SITE_PACKAGE = {
    "treelib/__init__.py": "",
    "treelib/models.py": """
        from django.db import models


        class Node(models.Model):
            class Meta:
                abstract = True


        class MP_Node(Node):
            path = models.CharField(max_length=255, unique=True)
            depth = models.PositiveIntegerField()
            numchild = models.PositiveIntegerField(default=0)

            class Meta(Node.Meta):
                abstract = True
    """,
    "taglib/__init__.py": "",
    "taglib/managers.py": """
        from django.db.models.fields.related import RelatedField


        class TaggableManager(RelatedField):
            pass
    """,
}
TREE_APP = app(
    "repo/pages",
    """
    from django.db import models
    from taglib.managers import TaggableManager
    from treelib.models import MP_Node


    class Page(MP_Node):
        title = models.CharField(max_length=100)
        tags = TaggableManager(blank=True)
        objects = models.Manager()
    """,
)


def test_installed_package_found_through_python_path(tmp_path):
    write_tree(tmp_path / "site", SITE_PACKAGE)
    root = write_tree(tmp_path, TREE_APP) / "repo"
    (root / "pyproject.toml").write_text('[tool.migrate-assistant]\npython-path = ["../site"]\n')
    page = discover(root).index.model_source("pages", "Page")
    assert page is not None and page.complete, page.unresolved
    assert set(page.all_fields()) == {"path", "depth", "numchild", "title", "tags"}
    assert page.inherited["depth"] == "MP_Node"


def test_a_base_that_cannot_be_read_is_said_not_guessed(tmp_path, cli):
    root = write_tree(tmp_path, TREE_APP) / "repo"
    page = discover(root).index.model_source("pages", "Page")
    assert page is not None and not page.complete
    base, tags = page.unresolved
    assert base.startswith("pages/models.py:6: base MP_Node of Page cannot be read (module treelib.models not found")
    assert tags.startswith(
        "pages/models.py:8: tags = TaggableManager(...) of Page may be a field (module taglib.managers"
    )
    assert set(page.all_fields()) == {"title"}  # tags: taglib is not found either, so it is not taken for a field
    with pytest.raises(AssistantError, match=r"unknown field 'depth' on pages.Page.*its fields may be incomplete"):
        resolve_field(discover(root), "pages.Page.depth")
    result = cli(root, "remove-field", "pages.Page.depth", "--phase", "1", "--dry-run")
    assert result.code == 1 and "python-path" in result.err and "pages/models.py:6" in result.err


def test_an_operation_class_is_not_a_model(repo):
    """``SafeDeleteModel(DeleteModel)`` in ``sentry/new_migrations/monkey/models.py`` is no model."""
    index = discover(repo).index
    names = {model.name for model in index.models["sentry"]}
    assert "SafeDeleteModel" not in names
    assert {"Project", "Organization", "Team", "Environment"} <= names
    assert index.model_source("sentry", "SafeDeleteModel") is None
    project = index.model_source("sentry", "Project")
    assert project.complete and "organization" in project.all_fields()


def test_classes_that_only_look_like_models_are_not_models(tmp_path):
    root = write_tree(
        tmp_path,
        app(
            "things",
            """
            from django.db import models
            from django.db.migrations.operations import DeleteModel


            class Kind(models.TextChoices):
                A = "a"


            class DropModel(DeleteModel):
                pass


            class Plain:
                name = models.CharField(max_length=3)


            class Thing(Plain, models.Model):
                kind = models.CharField(max_length=1, choices=Kind.choices)
            """,
        ),
    )
    index = discover(root).index
    assert [model.name for model in index.models["things"]] == ["Thing"]
    assert set(index.model_source("things", "Thing").all_fields()) == {"kind"}  # a plain mixin's field is not one


def test_get_model_managers_made_at_run_time_and_computed_bases(tmp_path):
    """oscar's ``Benefit = get_model("offer", "Benefit")``; wagtail's ``Manager.from_queryset(...)``;
    django-cms's ``MP_Node = get_tree_base()`` (said, with file and line)."""
    models = """
        from django.db import models

        from offer.loading import get_model, get_tree_base
        from offer import benefits  # noqa: models defined in a module the models module imports

        PageManager: type = models.Manager.from_queryset(models.QuerySet)
        Node = get_tree_base()


        class Benefit(models.Model):
            value = models.IntegerField()
            objects = PageManager()
            others = models.QuerySet.as_manager()


        class Page(Node):
            title = models.CharField(max_length=10)
    """
    benefits = """
        from offer.loading import get_model

        Benefit = get_model("offer", "Benefit")


        class ShippingBenefit(Benefit):
            class Meta:
                proxy = True
    """
    loading = "def get_model(app, name):\n    pass\n\n\ndef get_tree_base():\n    pass\n"
    root = write_tree(tmp_path, app("offer", models, {"offer/benefits.py": benefits, "offer/loading.py": loading}))
    index = discover(root).index
    benefit = index.model_source("offer", "Benefit")
    assert benefit.complete and set(benefit.all_fields()) == {"value"}
    shipping = [model for model in index.models["offer"] if model.name == "ShippingBenefit"]
    assert len(shipping) == 1 and shipping[0].proxy and shipping[0].complete
    page = index.model_source("offer", "Page")
    [why] = page.unresolved
    assert why == (
        "offer/models.py:16: base Node of Page cannot be read (Node is computed at run time "
        "(offer/models.py:7: get_tree_base()))"
    )


def test_a_python_path_that_is_no_directory_is_one_clear_message(tmp_path, cli):
    root = write_tree(tmp_path, TREE_APP) / "repo"
    (root / "pyproject.toml").write_text('[tool.migrate-assistant]\npython-path = ["../missing"]\n')
    result = cli(root, "remove-field", "pages.Page.title", "--phase", "1", "--dry-run")
    assert result.code == 1
    assert result.err.startswith("migrate-assistant: python-path in [tool.migrate-assistant]: ../missing is not a")


def test_vendor_dependent_bases_and_generic_relations_are_said(tmp_path):
    """modelsearch binds ``AbstractIndexEntry`` per database vendor; django-cms' ``PlaceholderRelationField``
    is a ``GenericRelation`` (no column), whatever its name says."""
    models = """
        from django.contrib.contenttypes.fields import GenericRelation
        from django.db import connection, models


        class Base(models.Model):
            title = models.CharField(max_length=10)

            class Meta:
                abstract = True


        if connection.vendor == "postgresql":
            class PostgresEntry(Base):
                body = models.TextField()

                class Meta:
                    abstract = True

            AbstractEntry = PostgresEntry
        else:
            AbstractEntry = Base


        class RelationField(GenericRelation):
            pass


        class Entry(AbstractEntry):
            placeholders = RelationField("search.Entry")
    """
    root = write_tree(tmp_path, app("search", models))
    entry = discover(root).index.model_source("search", "Entry")
    assert set(entry.all_fields()) == {"title", "body"}
    assert entry.unresolved == [
        "search/models.py:12: AbstractEntry is bound differently in the branches of this if; the first is read"
    ]
