"""The reference scan's owner rule with the class spans of models modules cached by file stamp."""

import json
import os

from migrate_assistant.header_cache import HeaderCache
from migrate_assistant.project import discover
from migrate_assistant.recipes.remove_field import plan_remove_fields

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
