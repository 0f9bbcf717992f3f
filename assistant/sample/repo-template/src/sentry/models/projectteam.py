from sentry.db.models import FlexibleForeignKey, Model, region_silo_model


@region_silo_model
class ProjectTeam(Model):
    project = FlexibleForeignKey("sentry.Project")
    team = FlexibleForeignKey("sentry.Team")

    class Meta:
        app_label = "sentry"
        db_table = "sentry_projectteam"
        unique_together = (("project", "team"),)
