"""Every action of the assistant, where it applies, its key and the command line that does the same.

The browser's footer, its ``?`` (help) screen and the command palette are all built from this table.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Action:
    name: str  # the screen's action_<name>
    key: str
    title: str
    where: str  # the node kinds it acts on ("" for the whole repository)
    command: str  # the command line equivalent
    help: str  # a few words more: the footer key's tooltip


NODE_ACTIONS = [
    Action(
        "remove",
        "d",
        "Remove",
        "field model",
        "remove-field APP.Model.field --phase 1",
        "Phase 1 of a two-deploy removal",
    ),
    Action("rename", "n", "Rename", "field model", "rename-field APP.Model.field NEW", "Rename in Django only"),
    Action(
        "add_field", "a", "Add field", "model", 'add-field APP.Model.name "models.X(...)"', "Nullable or db_default"
    ),
    Action("add_index", "i", "Add index", "model", "add-index APP.Model FIELD...", "A Meta index"),
    Action("phase_two", "enter", "Write phase 2", "pending", "remove-field TARGET --phase 2", "Drop what phase 1 hid"),
    Action("fix", "x", "Fix", "migration", "fix-migration PATH", "Rewrite a finding's migration as phase 1"),
    Action("sql", "s", "SQL", "migration", "sqlmigrate APP NAME", "The project's sqlmigrate"),
    Action(
        "data_migration", "b", "Data migration", "app model", "data-migration APP NAME [--model APP.Model]", "RunPython"
    ),
    Action(
        "mark",
        "space",
        "Mark",
        "field model pending",
        "remove APP.Model.field APP.Model ... --phase N",
        "Several targets, one plan",
    ),
]
GLOBAL_ACTIONS = [
    Action("filter", "slash", "Filter", "", "", "Type to filter the tree (fuzzy); Enter returns to the tree"),
    Action("remove_field_picker", "r", "Remove field…", "", "remove-field APP.Model.field --phase N", "Pick fields"),
    Action("remove_model_picker", "m", "Remove model…", "", "remove-model APP.Model --phase N", "Pick models"),
    Action("fix_lockfile", "f", "Fix lockfile", "", "fix-lockfile", "Renumber this branch's migrations"),
    Action("reload", "ctrl+r", "Reload", "", "status", "Read the repository again"),
]
CLI_FOR_MODEL = {
    "remove": "remove-model APP.Model --phase 1",
    "rename": "rename-model APP.Model NEW",
}


def applies(action: Action, kind: str | None) -> bool:
    return bool(kind) and kind in action.where.split()


def key_label(key: str) -> str:
    return {"slash": "/", "question_mark": "?", "space": "space", "enter": "Enter"}.get(key, key)
