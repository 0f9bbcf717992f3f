"""Compare the static model index with Django's view of real projects (the corpus' ``<project>.django.json``).

For every model Django's migration state has, ``index.model_source()`` must find the class and every field
(inherited ones included); auto-created fields (an implicit ``id``, a multi-table ``*_ptr``) are not written in
the source and are not compared. Prints, per project: models found, fields found, and what is missing with the
reasons the index gives (unreadable bases).

    python bench/model_index_corpus.py --work /work/corpus [--project oscar ...] [-v]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from migrate_assistant import config
from migrate_assistant.errors import AssistantError
from migrate_assistant.project import discover

PROJECTS = ("contrib", "wagtail", "oscar", "cms", "allauth", "libs", "otp-oauth", "pretix")
AUTO_PKS = {"AutoField", "BigAutoField", "SmallAutoField"}


def compare(root: Path, django_view: dict, verbose: bool) -> dict:
    started = time.perf_counter()
    project = discover(root)
    index = project.index
    counts = dict(models=0, models_found=0, fields=0, fields_found=0, extra=0, incomplete=0)
    missing: list[str] = []
    for label, app in sorted(django_view["apps"].items()):
        for name, model in sorted(app["models"].items()):
            counts["models"] += 1
            try:
                source = index.model_source(label, name) if label in project.apps else None
            except AssistantError as error:
                missing.append(f"{label}.{name}: {error}")
                continue
            if source is None:  # a proxy: model_source() gives the concrete models the recipes change
                proxies = [m for m in index.models.get(label, []) if m.name == name and m.proxy]
                source = proxies[0] if len(proxies) == 1 else None
            if source is None:
                missing.append(f"{label}.{name}: model not found")
                continue
            counts["models_found"] += 1
            counts["incomplete"] += not source.complete
            ours = source.all_fields()
            for field_name in sorted(set(ours) - set(model["fields"])):
                counts["extra"] += 1
                missing.append(f"{label}.{name}.{field_name}: a field Django's migration state does not have")
            for field_name, field in model["fields"].items():
                if field["primary_key"] and (
                    (field_name == "id" and field["class"] in AUTO_PKS)
                    or (field_name.endswith("_ptr") and field["class"] == "OneToOneField")
                ):
                    if field_name not in ours:
                        continue  # auto-created by Django, not written in the source
                counts["fields"] += 1
                if field_name in ours:
                    counts["fields_found"] += 1
                else:
                    why = "; ".join(source.unresolved) or "no reason given"
                    missing.append(f"{label}.{name}.{field_name}: field not found ({why})")
    counts["seconds"] = round(time.perf_counter() - started, 2)
    return {"counts": counts, "missing": missing}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/work/corpus"))
    parser.add_argument("--project", action="append", choices=PROJECTS)
    parser.add_argument("-v", action="store_true", help="list every model and field not found")
    args = parser.parse_args()
    # The corpus' pyproject also names `settings` (read by the migration-state reader, not by the model index).
    config.KNOWN_KEYS = (*config.KNOWN_KEYS, "settings")
    failed = False
    for name in args.project or PROJECTS:
        django_view = json.loads((args.work / f"{name}.django.json").read_text())
        result = compare(args.work / "projects" / name, django_view, args.v)
        c = result["counts"]
        print(
            f"{name:10} models {c['models_found']}/{c['models']}  fields {c['fields_found']}/{c['fields']}  "
            f"extra fields {c['extra']}  "
            f"models with unreadable bases {c['incomplete']}  ({c['seconds']} s)"
        )
        failed |= bool(result["missing"])
        for line in result["missing"] if args.v else result["missing"][:5]:
            print(f"    {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
