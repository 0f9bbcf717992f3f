"""Ask the tool's own Django (never the project's code) about one of Django's field classes.

It runs in a subprocess with minimal settings, so commands that do not need it
never import Django, and nothing of the user's project is imported. Run as a
script it reads one JSON request on stdin and writes the answer on stdout.
"""

from __future__ import annotations

import json
import subprocess
import sys

from .errors import AssistantError

PROBE_TIMEOUT = 60


def probe(request: dict) -> dict:
    """``{"class": dotted path, "construct": {...} | None, "name": field name}`` → what Django says."""
    try:
        result = subprocess.run(
            [sys.executable, "-I", "-m", "migrate_assistant.django_probe"],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=PROBE_TIMEOUT,
        )
    except subprocess.TimeoutExpired:
        raise AssistantError("Django did not answer within 60 s while checking the field") from None
    if result.returncode != 0:
        raise AssistantError(f"could not check the field with Django: {result.stderr.strip()[-500:]}")
    return json.loads(result.stdout)


def _resolve(path: str):
    import importlib

    parts = path.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for part in parts[cut:]:
            found = getattr(found, part)
        return found
    raise ImportError(path)


class _Placeholder:
    """A value that cannot be known statically (a project constant, a call): callable, inert."""

    def __call__(self, *args, **kwargs):
        return self

    def __repr__(self) -> str:
        return "<value>"


def _value(encoded: dict):
    import ast

    if "literal" in encoded:
        return ast.literal_eval(encoded["literal"])
    if "import" in encoded:
        return _resolve(encoded["import"])
    return _Placeholder()


def _keywords(cls) -> list[str]:
    """The keyword arguments a class's constructors accept, following ``**kwargs`` up the MRO."""
    import inspect

    accepted: list[str] = []
    for klass in cls.__mro__:
        if "__init__" not in vars(klass):
            continue
        parameters = inspect.signature(klass.__init__).parameters.values()
        accepted += [p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)]
        if not any(p.kind == p.VAR_KEYWORD for p in parameters):
            break
    return sorted(set(accepted) - {"self"})


def _answer(request: dict) -> dict:
    import django
    from django.conf import settings

    settings.configure(INSTALLED_APPS=[], USE_TZ=True, DATABASES={})
    django.setup()
    from django.db import models

    try:
        cls = _resolve(request["class"])
    except (ImportError, AttributeError):
        return {"error": f"{request['class']} does not exist in Django {django.get_version()}"}
    if not (isinstance(cls, type) and issubclass(cls, models.Field)):
        return {"error": f"{request['class']} is not a model field class"}
    answer = {
        "keywords": _keywords(cls),
        "relation": issubclass(cls, models.ForeignObject) or issubclass(cls, models.ManyToManyField),
        "many_to_many": issubclass(cls, models.ManyToManyField),
    }
    construct = request.get("construct")
    if construct is None:
        return answer
    args = [_value(item) for item in construct["args"]]
    kwargs = {name: _value(item) for name, item in construct["kwargs"].items()}
    try:
        cls(*args, **kwargs)
    except (TypeError, ValueError) as error:
        return {**answer, "error": str(error)}
    if answer["relation"]:
        return answer  # its checks need the target model: the caller checks the target itself
    errors = _check(cls, args, construct["kwargs"], request["name"])
    return {**answer, "error": "; ".join(errors)} if errors else answer


def _check(cls, args: list, encoded: dict, name: str) -> list[str]:
    """Django's system checks of the field on a throwaway model; keywords whose values are not
    known statically are left out, and what their absence would report is not reported."""
    from django.apps.registry import Apps
    from django.db import models

    unknown = {key for key, item in encoded.items() if "literal" not in item and "import" not in item}
    kwargs = {key: _value(item) for key, item in encoded.items() if key not in unknown}
    meta = type("Meta", (), {"app_label": "probe", "apps": Apps()})
    try:
        model = type("Probe", (models.Model,), {"__module__": "probe", name: cls(*args, **kwargs), "Meta": meta})
        found = model._meta.get_field(name).check()
    except Exception:  # a check that needs more than a field alone: Django says it later, on the project
        return []
    return [
        f"{error.msg} ({error.id})"
        for error in found
        if error.level >= 40
        and error.id != "fields.E120"  # CharField without max_length: fine on PostgreSQL
        and not any(f"'{key}'" in error.msg for key in unknown)
    ]


if __name__ == "__main__":
    json.dump(_answer(json.load(sys.stdin)), sys.stdout)
