"""Compare two state views (``state --format json`` and ``django_state.py``) and classify each difference.

A difference is *declared* when our side said it could not read that part: an ``unreadable`` entry in the same
file as the model or field (a migration whose operations touch it, as Django's view lists under ``touched``), or
an entry of the same app (or naming the app) whose ``why`` names the model or field; for a model or field that
Django does not have, an entry of the app whose file mentions it. A difference of a whole app (missing, extra,
leaves) is declared by any ``unreadable`` entry of that app or naming it.
Every other difference is *silent*: the reader gave a wrong answer without saying so.

``python compare.py OURS.json DJANGO.json [--root DIR]`` compares two files already dumped.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

FIELD_KEYS = ("class", "column", "null", "db_constraint", "to", "primary_key", "many_to_many")
MISSING = "<missing>"
APP_SCHEMA = {"leaves": list, "models": dict, "pending_deletions": list, "unreadable": list}
ENTRY_SCHEMAS = {
    "pending_deletions": {"target": str, "migration": str},
    "unreadable": {"file": str, "line": int, "why": str},
}
FIELD_SCHEMA = {
    "class": str,
    "column": (str, type(None)),
    "null": bool,
    "db_constraint": bool,
    "to": (str, type(None)),
    "primary_key": bool,
    "many_to_many": bool,
}


@dataclass(frozen=True)
class Unreadable:
    app: str
    file: str
    line: int
    why: str
    text: str  # the file's source ("" when it cannot be read)

    def names(self, word: str) -> bool:
        return _mentions(self.why, word)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.why}"


def compare(ours: dict, django: dict, root: Path | None = None) -> dict:
    """Counts and differences of ``ours`` against ``django`` (both in the ``state --format json`` schema)."""
    our_apps = ours.get("apps", {}) if isinstance(ours, dict) else {}
    django_apps = django.get("apps", {})
    unreadable = _unreadable(our_apps, root)
    touched = django.get("touched", {})
    differences: list[dict] = []
    counts = dict.fromkeys(("apps", "models", "models_equal", "fields", "fields_equal", "declared", "silent"), 0)

    def differ(app: str, where: str, what: str, mine, theirs, model: str = "", field: str = "") -> None:
        by = _declared_by(unreadable, app, model, field, touched.get(app, {}).get(model.lower(), {}))
        differences.append(
            {
                "where": where,
                "what": what,
                "ours": mine,
                "django": theirs,
                "declared_by": str(by) if by else None,
            }
        )
        counts["declared" if by else "silent"] += 1

    for where, problem in schema_problems(ours):
        differences.append({"where": where, "what": "schema", "ours": problem, "django": None, "declared_by": None})
        counts["silent"] += 1
    labels = sorted(set(our_apps) | set(django_apps))
    counts["apps"] = len(labels)
    for label in labels:
        mine, theirs = our_apps.get(label), django_apps.get(label)
        if mine is None:
            differ(label, label, "app", MISSING, "present")
            counts["models"] += len(theirs.get("models", {}))
            continue
        if theirs is None:
            differ(label, label, "app", "present", "not an installed app with migrations")
            counts["models"] += len(mine.get("models", {}) or {})
            continue
        if sorted(mine.get("leaves", []) or []) != theirs["leaves"]:
            differ(label, label, "leaves", sorted(mine.get("leaves", []) or []), theirs["leaves"])
        _compare_models(label, mine.get("models", {}) or {}, theirs["models"], counts, differ)
    return {"counts": counts, "differences": differences}


def _compare_models(label: str, mine: dict, theirs: dict, counts: dict, differ) -> None:
    by_lower = {name.lower(): name for name in mine}
    names = sorted({name.lower(): name for name in [*mine, *theirs]}.values(), key=str.lower)
    for name in names:
        counts["models"] += 1
        our_name = by_lower.get(name.lower())
        their_name = next((other for other in theirs if other.lower() == name.lower()), None)
        where = f"{label}.{name}"
        if our_name is None:
            differ(label, where, "model", MISSING, "present", model=name)
            continue
        if their_name is None:
            differ(label, where, "model", "present", MISSING, model=name)
            continue
        before = counts["silent"] + counts["declared"]
        if our_name != their_name:
            differ(label, where, "name", our_name, their_name, model=name)
        our_model, their_model = mine[our_name] or {}, theirs[their_name]
        if our_model.get("table", MISSING) != their_model["table"]:
            differ(label, where, "table", our_model.get("table", MISSING), their_model["table"], model=name)
        our_fields = our_model.get("fields", {}) or {}
        for field in sorted(set(our_fields) | set(their_model["fields"])):
            counts["fields"] += 1
            field_where = f"{where}.{field}"
            if field not in our_fields:
                differ(label, field_where, "field", MISSING, "present", model=name, field=field)
                continue
            if field not in their_model["fields"]:
                differ(label, field_where, "field", "present", MISSING, model=name, field=field)
                continue
            equal = True
            for key in FIELD_KEYS:
                mine_value = (our_fields[field] or {}).get(key, MISSING)
                their_value = their_model["fields"][field][key]
                if mine_value != their_value:
                    equal = False
                    differ(label, field_where, key, mine_value, their_value, model=name, field=field)
            counts["fields_equal"] += equal
        counts["models_equal"] += counts["silent"] + counts["declared"] == before


def schema_problems(ours) -> list[tuple[str, str]]:
    """Where ``ours`` departs from the ``state --format json`` schema (keys, and the types of values)."""
    if not isinstance(ours, dict) or set(ours) != {"apps"} or not isinstance(ours["apps"], dict):
        return [("(top)", 'expected exactly {"apps": {...}}')]
    problems = []
    for label, app in ours["apps"].items():
        shape = _shape(label, app, APP_SCHEMA)
        if shape:
            problems += shape
            continue
        if not all(isinstance(leaf, str) for leaf in app["leaves"]):
            problems.append((label, "a leaf is not a string"))
        for key, schema in ENTRY_SCHEMAS.items():
            for entry in app[key]:
                problems += _shape(f"{label} {key}", entry, schema)
        for name, model in app["models"].items():
            shape = _shape(f"{label}.{name}", model, {"table": str, "fields": dict})
            problems += shape
            for field, value in ({} if shape else model["fields"]).items():
                problems += _shape(f"{label}.{name}.{field}", value, FIELD_SCHEMA)
    return problems


def _shape(where: str, value, schema: dict) -> list[tuple[str, str]]:
    if not isinstance(value, dict):
        return [(where, f"expected an object, got {type(value).__name__}")]
    if set(value) != set(schema):
        return [(where, f"keys {sorted(value)}, expected {sorted(schema)}")]
    wrong = [key for key, kind in schema.items() if not isinstance(value[key], kind) or _bool_as_int(value[key], kind)]
    return [(where, f"wrong type of {', '.join(wrong)}")] if wrong else []


def _bool_as_int(value, kind) -> bool:
    return kind is int and isinstance(value, bool)


def _unreadable(our_apps: dict, root: Path | None) -> list[Unreadable]:
    entries = []
    for label, app in our_apps.items():
        for entry in (app or {}).get("unreadable", []) or []:
            file = str(entry.get("file", ""))
            entries.append(Unreadable(label, file, entry.get("line", 0), str(entry.get("why", "")), _read(root, file)))
    return entries


def _declared_by(entries: list[Unreadable], app: str, model: str, field: str, touched: dict) -> Unreadable | None:
    files = set(touched.get(field if field else "", []))
    if field and not files:
        files = set(touched.get("", []))  # a field Django does not have: the files that touch its model
    for entry in entries:
        if any(entry.file == file or entry.file.endswith("/" + file) for file in files):
            return entry  # Django's files are relative to the import root, ours to the repository
        if not (entry.app == app or entry.names(app)):
            continue
        if not model:
            return entry  # a whole app's difference: anything unreadable in it declares it
        if entry.names(model) or (field and entry.names(field)):
            return entry
        if not touched and _mentions(entry.text, model) and (not field or _mentions(entry.text, field)):
            return entry  # a model Django does not have: a file of this app that mentions it
    return None


def _mentions(text: str, word: str) -> bool:
    return bool(word) and re.search(rf"(?<![\w]){re.escape(word)}(?![\w])", text, re.IGNORECASE) is not None


def _read(root: Path | None, file: str) -> str:
    path = Path(file)
    if not path.is_absolute() and root is not None:
        path = root / path
    try:
        return path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return ""


def format_report(name: str, result: dict, verbose: bool = False) -> str:
    counts = result["counts"]
    lines = [
        f"{name}: {counts['apps']} apps, {counts['models']} models compared ({counts['models_equal']} equal), "
        f"{counts['fields']} fields compared ({counts['fields_equal']} equal); differences: "
        f"{counts['declared']} declared unreadable, {counts['silent']} SILENT" + _timing(result.get("timing"))
    ]
    for difference in result["differences"]:
        if difference["declared_by"] and not verbose:
            continue
        tag = f"declared by {difference['declared_by']}" if difference["declared_by"] else "SILENT"
        lines.append(
            f"  {difference['where']}: {difference['what']}: ours {json.dumps(difference['ours'])} vs "
            f"Django's {json.dumps(difference['django'])} ({tag})"
        )
    return "\n".join(lines)


def _timing(timing: dict | None) -> str:
    if not timing:
        return ""
    return f" [state {timing['state']} s; Django setup + loader + project_state {timing['django']} s]"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("ours")
    parser.add_argument("django")
    parser.add_argument("--root", help="the scratch project (to read the files named in unreadable)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    ours = json.loads(Path(args.ours).read_text(encoding="utf-8"))
    django = json.loads(Path(args.django).read_text(encoding="utf-8"))
    result = compare(ours, django, Path(args.root) if args.root else None)
    print(format_report(Path(args.ours).stem, result, args.verbose))
    return 1 if result["counts"]["silent"] else 0


if __name__ == "__main__":
    sys.exit(main())
