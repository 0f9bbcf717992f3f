from sentry.models.environment import Environment, EnvironmentProject
from sentry.models.organization import Organization
from sentry.models.project import Project
from sentry.models.projectbookmark import ProjectBookmark
from sentry.models.projectteam import ProjectTeam
from sentry.models.team import Team

__all__ = [
    "Environment",
    "EnvironmentProject",
    "Organization",
    "Project",
    "ProjectBookmark",
    "ProjectTeam",
    "Team",
]
