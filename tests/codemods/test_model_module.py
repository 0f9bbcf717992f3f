"""remove_model_class / remove_export: before/after source pairs."""

import textwrap

import pytest

from migrate_assistant.codemods.model_module import remove_export, remove_model_class
from migrate_assistant.errors import AssistantError


def dedent(text: str) -> str:
    return textwrap.dedent(text)


MODELS = dedent(
    '''\
    """Uptime models."""

    from django.db import models
    from django.utils import timezone

    from sentry.db.models import FlexibleForeignKey, Model, control_silo_model, region_silo_model


    @region_silo_model
    class UptimeSubscription(Model):
        url = models.CharField(max_length=255)


    # Regions the checker runs in.
    @control_silo_model
    class UptimeRegion(Model):
        slug = models.CharField(max_length=255, default=timezone.now)
        owner = FlexibleForeignKey("sentry.Team")

        class Meta:
            app_label = "uptime"


    def helper():  # kept
        return 1
    '''
)


def test_removes_the_class_its_comment_and_the_imports_only_it_used():
    assert remove_model_class(MODELS, "models.py", "UptimeRegion")[0] == dedent(
        '''\
        """Uptime models."""

        from django.db import models

        from sentry.db.models import Model, region_silo_model


        @region_silo_model
        class UptimeSubscription(Model):
            url = models.CharField(max_length=255)


        def helper():  # kept
            return 1
        '''
    )


def test_module_with_nothing_else_left_can_go():
    source = dedent(
        '''\
        """Bookmarks."""

        from django.db import models

        from sentry.db.models import Model, region_silo_model

        __all__ = ["ProjectBookmark"]


        @region_silo_model
        class ProjectBookmark(Model):
            user_id = models.BigIntegerField()
        '''
    )
    text, empty = remove_model_class(source, "projectbookmark.py", "ProjectBookmark")
    assert empty and "class" not in text and "import" not in text


def test_parenthesized_import_keeps_its_layout():
    source = dedent(
        """\
        from sentry.db.models import (
            BoundedBigIntegerField,
            FlexibleForeignKey,  # relations
            Model,
        )


        class A(Model):
            a = BoundedBigIntegerField()


        class B(Model):
            b = FlexibleForeignKey("sentry.A")
        """
    )
    assert remove_model_class(source, "m.py", "B") == (
        dedent(
            """\
        from sentry.db.models import (
            BoundedBigIntegerField,
            Model,
        )


        class A(Model):
            a = BoundedBigIntegerField()
        """
        ),
        False,
    )


def test_unknown_class_is_an_error():
    with pytest.raises(AssistantError, match="no module-level class Nope"):
        remove_model_class(MODELS, "models.py", "Nope")


def test_a_class_under_a_module_level_if_is_refused_with_its_line():
    source = dedent(
        """\
        if not is_model_registered("catalogue", "Product"):

            class Product(AbstractProduct):
                pass

            __all__.append("Product")
        """
    )
    with pytest.raises(AssistantError, match=r"models.py:3: class Product is defined under a module-level if"):
        remove_model_class(source, "models.py", "Product")


INIT = dedent(
    """\
    from sentry.models.environment import Environment, EnvironmentProject
    from sentry.models.projectbookmark import ProjectBookmark
    from .team import *  # noqa: F403

    __all__ = [
        "Environment",
        "EnvironmentProject",
        "ProjectBookmark",
        "Team",
    ]
    """
)


def test_export_of_a_deleted_module_goes_from_imports_and_all():
    assert remove_export(INIT, "__init__.py", "sentry.models.projectbookmark", "ProjectBookmark", True) == dedent(
        """\
        from sentry.models.environment import Environment, EnvironmentProject
        from .team import *  # noqa: F403

        __all__ = [
            "Environment",
            "EnvironmentProject",
            "Team",
        ]
        """
    )


def test_one_name_of_a_kept_module_and_star_imports():
    assert remove_export(INIT, "__init__.py", "sentry.models.environment", "EnvironmentProject", False) == dedent(
        """\
        from sentry.models.environment import Environment
        from sentry.models.projectbookmark import ProjectBookmark
        from .team import *  # noqa: F403

        __all__ = [
            "Environment",
            "ProjectBookmark",
            "Team",
        ]
        """
    )
    kept = remove_export(INIT, "__init__.py", "sentry.models.team", "Team", False)
    assert "from .team import *" in kept and '"Team"' not in kept
    gone = remove_export(INIT, "__init__.py", "sentry.models.team", "Team", True)
    assert "from .team import" not in gone
