"""rename-model touches only what names the model: before/after pairs (issue 12)."""

import textwrap

from migrate_assistant.codemods.rename import rename_model, retarget_relations

MEMBERSHIP = textwrap.dedent(
    """\
    from django.db import models
    from django.utils.translation import gettext_lazy as _

    __all__ = ["Project", "Membership"]


    class Project(models.Model):
        members = models.ManyToManyField(
            "users.User",
            through="projects.Membership",
            through_fields=("project", "user"),
            related_name="projects",
            verbose_name=_("members"),
        )


    class Membership(models.Model):
        project = models.ForeignKey("projects.Project", on_delete=models.CASCADE, verbose_name=_("project"))
        parent = models.ForeignKey(to="Project", null=True, on_delete=models.SET_NULL, related_name="project")
        label = models.CharField(max_length=20, default="project")
    """
)


def test_only_relation_targets_and_the_class_name_change():
    targets = {"projects.project": "Proj", "project": "Proj"}
    after = rename_model(MEMBERSHIP, "m.py", "Project", "Proj", None, targets)
    assert after == (
        MEMBERSHIP.replace('__all__ = ["Project"', '__all__ = ["Proj"')
        .replace("class Project(", "class Proj(")
        .replace('ForeignKey("projects.Project"', 'ForeignKey("projects.Proj"')
        .replace('ForeignKey(to="Project"', 'ForeignKey(to="Proj"')
    )
    assert 'through_fields=("project", "user")' in after
    assert 'verbose_name=_("project")' in after and 'related_name="project"' in after


def test_a_renamed_through_model_is_retargeted():
    after = rename_model(MEMBERSHIP, "m.py", "Membership", "Member", None, {"projects.membership": "Member"})
    assert 'through="projects.Member",' in after
    assert '__all__ = ["Project", "Member"]' in after and "class Member(models.Model):" in after


def test_a_module_that_imports_and_exports_the_model_follows():
    before = textwrap.dedent(
        """\
        from dcim.models.devices import Device, Platform

        __all__ = ("Device", "Platform", "Devices")


        class Cable(models.Model):
            device = models.ForeignKey(Device, on_delete=models.CASCADE, help_text="Device")
            other = models.ForeignKey("dcim.Device", on_delete=models.CASCADE, verbose_name="dcim.Device")
        """
    )
    after = retarget_relations(before, "m.py", {"dcim.device": "Box"}, {"Device": "Box"})
    assert after == textwrap.dedent(
        """\
        from dcim.models.devices import Box, Platform

        __all__ = ("Box", "Platform", "Devices")


        class Cable(models.Model):
            device = models.ForeignKey(Box, on_delete=models.CASCADE, help_text="Device")
            other = models.ForeignKey("dcim.Box", on_delete=models.CASCADE, verbose_name="dcim.Device")
        """
    )
