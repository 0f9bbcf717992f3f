"""remove_fields: before/after source pairs."""

import ast
import textwrap

import pytest

from migrate_assistant.codemods.model_class import remove_fields
from migrate_assistant.errors import AssistantError
from migrate_assistant.field_usage import parse_expression, referenced_fields
from migrate_assistant.model_index import module_level_classes


def transform(before: str, fields: set[str], model: str = "Project") -> str:
    aliases = {name: name for name in fields} | {f"{name}_id": name for name in fields}

    def uses(code: str) -> bool:
        return bool(referenced_fields(parse_expression(code), aliases))

    return remove_fields(textwrap.dedent(before), "models.py", model, fields, uses)


def check(before: str, after: str, fields: set[str], model: str = "Project") -> None:
    assert transform(before, fields, model) == textwrap.dedent(after)


def test_noop_when_nothing_matches():
    source = """\
    class Project(Model):
        name = models.CharField(max_length=200)  # kept

        class Meta:
            indexes = [models.Index(fields=["name"], name="name_idx")]
    """
    check(source, source, {"status"})


def test_removes_field_with_its_own_comment_and_keeps_the_rest():
    check(
        """\
        class Project(Model):
            \"\"\"Docstring.\"\"\"

            name = models.CharField(max_length=200)  # the name
            # 0 is active, 1 is pending deletion.
            status = BoundedPositiveIntegerField(default=0)
            platform = models.CharField(max_length=64, null=True)  # e.g. "python"

            def __str__(self):
                return self.name  # trailing
        """,
        """\
        class Project(Model):
            \"\"\"Docstring.\"\"\"

            name = models.CharField(max_length=200)  # the name
            platform = models.CharField(max_length=64, null=True)  # e.g. "python"

            def __str__(self):
                return self.name  # trailing
        """,
        {"status"},
    )


def test_odd_formatting_elsewhere_survives():
    check(
        """\
        class Project(Model):
            forced_color = models.CharField(
                max_length=6, null=True,
                    blank=True
            )
            first_event   =   models.DateTimeField( null=True )
            status = BoundedPositiveIntegerField(
                default=0,   # odd
            )

            # a comment block that belongs to the section below

            flags = models.BigIntegerField(db_default=0)
        """,
        """\
        class Project(Model):
            forced_color = models.CharField(
                max_length=6, null=True,
                    blank=True
            )
            first_event   =   models.DateTimeField( null=True )

            # a comment block that belongs to the section below

            flags = models.BigIntegerField(db_default=0)
        """,
        {"status"},
    )


def test_meta_entries_using_the_field_go_and_layout_stays():
    check(
        """\
        class Project(Model):
            organization = FlexibleForeignKey("sentry.Organization")
            status = BoundedPositiveIntegerField(default=0)
            slug = models.SlugField(null=True)

            class Meta:
                app_label = "sentry"
                # keep me
                unique_together = (("organization", "slug"), ("slug", "status"))
                indexes = [
                    models.Index(fields=["slug"], name="slug_idx"),  # keep this comment
                    models.Index(fields=["-status", "slug"], name="status_idx"),
                ]
                constraints = [
                    models.CheckConstraint(condition=Q(status__gte=0), name="status_nonneg"),
                    models.UniqueConstraint(fields=["organization_id", "slug"], name="org_slug"),
                ]
        """,
        """\
        class Project(Model):
            slug = models.SlugField(null=True)

            class Meta:
                app_label = "sentry"
                indexes = [
                    models.Index(fields=["slug"], name="slug_idx"),  # keep this comment
                ]
        """,
        {"organization", "status"},
    )


def test_single_group_unique_together_and_one_tuple():
    check(
        """\
        class Team(Model):
            organization = FlexibleForeignKey("sentry.Organization")
            slug = models.SlugField()
            name = models.CharField(max_length=64)

            class Meta:
                unique_together = ("organization", "slug")
                index_together = (("name", "slug"), ("organization", "name"))
        """,
        """\
        class Team(Model):
            slug = models.SlugField()
            name = models.CharField(max_length=64)

            class Meta:
                index_together = (("name", "slug"),)
        """,
        {"organization"},
        "Team",
    )


def test_index_name_and_message_strings_are_not_references():
    source = """\
    class Project(Model):
        name = models.CharField(max_length=200)
        status = models.IntegerField()

        class Meta:
            constraints = [models.CheckConstraint(condition=Q(status__gte=0), name="name", violation_error_message="name")]
    """
    after = transform(source, {"name"})
    assert "name = models.CharField" not in after
    assert "CheckConstraint" in after


def test_only_the_named_class_changes():
    before = """\
    class Team(Model):
        status = models.IntegerField()


    class Project(Model):
        status = models.IntegerField()
        name = models.CharField(max_length=10)
    """
    after = transform(before, {"status"})
    assert after.count("status = models.IntegerField()") == 1
    assert after.index("status") < after.index("class Project")


def test_crlf_line_endings_are_kept():
    before = "class Project(Model):\r\n    a = models.IntegerField()\r\n    b = models.IntegerField()\r\n"
    assert remove_fields(before, "m.py", "Project", {"a"}, lambda code: False) == (
        "class Project(Model):\r\n    b = models.IntegerField()\r\n"
    )


def test_last_field_leaves_pass_and_missing_class_is_an_error():
    assert transform("class Project(Model):\n    a = models.IntegerField()\n", {"a"}) == (
        "class Project(Model):\n    pass\n"
    )
    with pytest.raises(AssistantError, match="no module-level class Nope"):
        transform("class Project(Model):\n    a = 1\n", {"a"}, "Nope")


def test_a_class_under_module_level_if_and_try_is_edited_where_it_is():
    check(
        """\
        from django.conf import settings

        if settings.OSCAR_USE_PROJECT:  # django-oscar style: models defined under a condition

            class Project(Model):
                name = models.CharField(max_length=200)
                status = models.IntegerField()  # goes

                class Meta:
                    indexes = [models.Index(fields=["status"], name="status_idx")]

        elif settings.OTHER:
            pass
        try:
            from .extra import Other
        except ImportError:
            with settings.override():

                class Other(Model):
                    status = models.IntegerField()
        """,
        """\
        from django.conf import settings

        if settings.OSCAR_USE_PROJECT:  # django-oscar style: models defined under a condition

            class Project(Model):
                name = models.CharField(max_length=200)

                class Meta:
                    pass

        elif settings.OTHER:
            pass
        try:
            from .extra import Other
        except ImportError:
            with settings.override():

                class Other(Model):
                    status = models.IntegerField()
        """,
        {"status"},
    )
    nested = """\
    try:
        from .extra import Other
    except ImportError:
        with settings.override():

            class Other(Model):
                status = models.IntegerField()
                name = models.CharField(max_length=200)
    """
    assert transform(nested, {"status"}, "Other") == textwrap.dedent(nested).replace(
        "            status = models.IntegerField()\n", ""
    )


def test_the_editor_finds_the_classes_the_model_index_finds():
    source = textwrap.dedent(
        """\
        class A(Model):
            x = 1
        if a:
            class B(Model):
                x = 1
        elif b:
            class C(Model):
                x = 1
        else:
            class D(Model):
                x = 1
        try:
            class E(Model):
                x = 1
        except ImportError:
            class F(Model):
                x = 1
        else:
            class G(Model):
                x = 1
        finally:
            class H(Model):
                x = 1
        with a:
            class I(Model):
                x = 1
        def f():
            class J(Model):
                x = 1
        """
    )
    indexed = [node.name for node in module_level_classes(ast.parse(source).body)]
    assert indexed == list("ABCDEFGHI")
    for name in indexed:
        assert transform(source, {"x"}, name).count("x = 1") == 9
    with pytest.raises(AssistantError, match="no module-level class J"):
        transform(source, {"x"}, "J")


def test_a_class_defined_twice_at_module_level_is_refused_with_its_lines():
    source = """\
    if settings.A:

        class Project(Model):
            status = models.IntegerField()

    else:

        class Project(Model):
            status = models.IntegerField()
    """
    with pytest.raises(
        AssistantError, match=r"models.py: class Project is defined 2 times at module level \(lines 3, 8\)"
    ):
        transform(source, {"status"})
