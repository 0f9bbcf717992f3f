from django.db import models


class Organization(models.Model):
    name = models.CharField(max_length=64)
    slug = models.SlugField(unique=True)


class Project(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE)
    name = models.CharField(max_length=64)
    status = models.IntegerField(default=0)
    template_version = models.IntegerField()
    platform = models.CharField(max_length=64, null=True)
    flags = models.BigIntegerField(default=0)
    first_event = models.DateTimeField(null=True)

    class Meta:
        indexes = [models.Index(fields=["status", "name"], name="shop_project_status_idx")]


class Bookmark(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="bookmarks")
    note = models.CharField(max_length=100, blank=True)
