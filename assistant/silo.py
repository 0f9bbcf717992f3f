"""Silo modes: which member of the project's ``SiloMode`` a model's decorator means,
and how the router writes it."""

from __future__ import annotations

import ast

from .errors import AssistantError
from .model_index import ModelSource
from .project import Project
from .pysource import module_imports, parse_source, read_source


def silo_value(project: Project, router_source: str, model: ModelSource) -> str:
    """The expression for the model's silo in the router, e.g. ``SiloMode.CELL``."""
    router = project.router
    tree = parse_source(router_source, router)
    binding = next((imp for imp in module_imports(tree) if imp.name == "SiloMode"), None)
    if binding is None:
        raise AssistantError(f"{project.relative(router)} does not import SiloMode")
    members = _enum_members(project, binding.module) or _members_in_use(tree, binding.bound)
    decorator = " ".join(model.decorators).lower()
    if "control" in decorator:
        wanted = ["CONTROL"]
    elif "region" in decorator or "cell" in decorator:
        wanted = ["CELL", "REGION"]
    else:
        raise AssistantError(
            f"{model.app_label}.{model.name} has no silo decorator (region_silo_model / control_silo_model): "
            "cannot tell which silo its table belongs to"
        )
    member = next((name for name in wanted if name in members), None)
    if member is None:
        raise AssistantError(f"SiloMode has none of {', '.join(wanted)} (members: {', '.join(sorted(members))})")
    return f"{binding.bound}.{member}"


def _enum_members(project: Project, module: str) -> set[str]:
    suffixes = (module.replace(".", "/") + ".py", module.replace(".", "/") + "/__init__.py")
    for path in project.python_files:
        if path.as_posix().endswith(suffixes):
            tree = parse_source(read_source(path), path)
            for node in tree.body:
                if isinstance(node, ast.ClassDef) and node.name == "SiloMode":
                    return {
                        target.id
                        for statement in node.body
                        if isinstance(statement, ast.Assign)
                        for target in statement.targets
                        if isinstance(target, ast.Name) and target.id.isupper()
                    }
    return set()


def _members_in_use(tree: ast.Module, name: str) -> set[str]:
    return {
        node.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == name
    }
