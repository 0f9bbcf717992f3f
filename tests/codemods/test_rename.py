"""Rename codemods: before/after source pairs."""

import textwrap

from migrate_assistant.codemods.rename import rename_export, rename_field, rename_model, retarget_relations

PROJECT = textwrap.dedent(
    """\
    @region_silo_model
    class Project(Model):
        organization = FlexibleForeignKey("sentry.Organization")  # the owner
        # 0 is active
        status = BoundedPositiveIntegerField(default=0)
        forced_color = models.CharField(
            max_length=6, null=True,
                blank=True
        )
        slug = models.SlugField(
            null=True,
        )

        class Meta:
            app_label = "sentry"
            db_table = "sentry_project"
            ordering = ["-status", "slug"]
            unique_together = (("organization", "slug"),)
            indexes = [
                models.Index(fields=["status", "date_added"], name="status"),  # keep
            ]
            constraints = [
                models.CheckConstraint(condition=Q(status__gte=0) & Q(organization_id=1), name="status_ok"),
            ]

        def __str__(self):
            return self.name
    """
)


def test_rename_a_field_used_in_meta():
    after = rename_field(PROJECT, "m.py", "Project", "status", "state", "status", {"status": "state"})
    assert '    # 0 is active\n    state = BoundedPositiveIntegerField(default=0, db_column="status")\n' in after
    assert 'ordering = ["-state", "slug"]' in after
    assert 'models.Index(fields=["state", "date_added"], name="status"),  # keep' in after
    assert 'condition=Q(state__gte=0) & Q(organization_id=1), name="status_ok"' in after
    assert 'db_table = "sentry_project"' in after
    assert after.count("status") == 3  # db_column, the index name, the constraint name


def test_rename_a_foreign_key_keeps_its_column():
    after = rename_field(
        PROJECT,
        "m.py",
        "Project",
        "organization",
        "owner",
        "organization_id",
        {"organization": "owner", "organization_id": "owner_id"},
    )
    assert 'owner = FlexibleForeignKey("sentry.Organization", db_column="organization_id")  # the owner' in after
    assert 'unique_together = (("owner", "slug"),)' in after
    assert "Q(owner_id=1)" in after


def test_db_column_follows_the_call_layout():
    odd = rename_field(PROJECT, "m.py", "Project", "forced_color", "color", "forced_color", {"forced_color": "color"})
    assert (
        'color = models.CharField(\n        max_length=6, null=True,\n            blank=True, db_column="forced_color"\n    )'
        in odd
    )
    trailing = rename_field(PROJECT, "m.py", "Project", "slug", "handle", "slug", {"slug": "handle"})
    assert 'handle = models.SlugField(\n        null=True,\n        db_column="slug",\n    )' in trailing


def test_existing_db_column_is_not_pinned_again():
    source = 'class A(Model):\n    b = models.IntegerField(db_column="c")\n'
    assert (
        rename_field(source, "m.py", "A", "b", "d", None, {"b": "d"})
        == 'class A(Model):\n    d = models.IntegerField(db_column="c")\n'
    )


def test_rename_a_model_pins_its_table_and_renames_its_uses():
    source = textwrap.dedent(
        """\
        @region_silo_model
        class ProjectBookmark(Model):
            project = FlexibleForeignKey("sentry.Project", db_constraint=False)
            parent = models.ForeignKey("sentry.ProjectBookmark", null=True, on_delete=models.CASCADE)

            class Meta:
                app_label = "sentry"

            def copy(self) -> "ProjectBookmark":
                return ProjectBookmark(project=self.project)
        """
    )
    after = rename_model(
        source, "m.py", "ProjectBookmark", "Favorite", "sentry_projectbookmark", {"sentry.projectbookmark": "Favorite"}
    )
    assert after == textwrap.dedent(
        """\
        @region_silo_model
        class Favorite(Model):
            project = FlexibleForeignKey("sentry.Project", db_constraint=False)
            parent = models.ForeignKey("sentry.Favorite", null=True, on_delete=models.CASCADE)

            class Meta:
                app_label = "sentry"
                db_table = "sentry_projectbookmark"

            def copy(self) -> "ProjectBookmark":
                return Favorite(project=self.project)
        """
    )


def test_a_model_without_meta_gets_one_before_its_methods():
    source = "class A(Model):\n    b = models.IntegerField()\n\n    def f(self):\n        return 1\n"
    assert rename_model(source, "m.py", "A", "C", "app_a", {}) == (
        'class C(Model):\n    b = models.IntegerField()\n\n    class Meta:\n        db_table = "app_a"\n\n'
        "    def f(self):\n        return 1\n"
    )


def test_relations_elsewhere_follow_strings_and_imported_names():
    source = textwrap.dedent(
        """\
        from sentry.models.team import Team


        class ProjectTeam(Model):
            team = FlexibleForeignKey("sentry.Team")
            other = models.ForeignKey(Team, on_delete=models.CASCADE)
            note = models.CharField(default="sentry.Team")
        """
    )
    after = retarget_relations(source, "m.py", {"sentry.team": "Squad"}, {"Team": "Squad"})
    assert "from sentry.models.team import Squad" in after
    assert 'FlexibleForeignKey("sentry.Squad")' in after and "ForeignKey(Squad," in after
    assert 'default="sentry.Team"' in after


def test_package_exports():
    source = 'from sentry.models.team import Team\n\n__all__ = ["Organization", "Team"]\n'
    assert rename_export(source, "__init__.py", "Team", "Squad") == (
        'from sentry.models.team import Squad\n\n__all__ = ["Organization", "Squad"]\n'
    )
