"""A field expression a user typed (``models.IntegerField(db_default=0)``), checked before planning.

Exactly one call; keywords not repeated; its class resolves through the model
module's imports to a field class: one of Django's (constructed with the tool's
Django, so unknown keywords and missing arguments are refused) or one of the
project's (its keywords checked against its definition, statically); a
relation's target must exist in the migration state. Its refusals name the
``expression`` argument; the index's own (unreadable migrations) name none.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from .errors import AssistantError
from .pysource import BUILTIN_NAMES, dotted_name, is_false, module_imports, parse_source, read_source
from .render import flat

MAX_DEPTH = 8


@dataclass
class FieldExpression:
    """The checked expression: ``text`` goes into the model, ``migration`` into the migration."""

    call: ast.Call
    text: str
    migration: ast.Call
    relation: bool = False
    many_to_many: bool = False
    warnings: list[str] = field(default_factory=list)


def _refused(message: str) -> AssistantError:
    """A refusal of the field expression (it names the ``expression`` argument)."""
    return AssistantError(message, argument="expression")


def parse_field_call(expression: str) -> ast.Call:
    """Exactly one call, keywords not repeated; a clear message for anything else."""
    try:
        expression.encode("utf-8")
    except UnicodeEncodeError:
        raise _refused("the field expression is not valid UTF-8 text") from None
    text = expression.strip()
    if not text:
        raise _refused("the field expression is empty, e.g. models.IntegerField(db_default=0)")
    try:
        node = ast.parse(text, mode="eval").body
    except SyntaxError as error:
        raise _refused(f"invalid field expression {text!r}: {error.msg}") from None
    if not isinstance(node, ast.Call) or dotted_name(node.func) is None:
        raise _refused(f"{text!r} is not a field, e.g. models.IntegerField(db_default=0)")
    seen = set()
    for keyword in node.keywords:
        if keyword.arg is None:
            raise _refused(f"{text!r}: **arguments cannot be checked; write the keywords out")
        if keyword.arg in seen:
            raise _refused(f"{text!r} repeats the keyword {keyword.arg}=")
        seen.add(keyword.arg)
    if any(isinstance(arg, ast.Starred) for arg in node.args):
        raise _refused(f"{text!r}: *arguments cannot be checked; write the arguments out")
    return node


def with_null(call: ast.Call) -> ast.Call:
    """The call with ``null=True`` (replacing any ``null=`` it had)."""
    keywords = [keyword for keyword in call.keywords if keyword.arg != "null"]
    return ast.Call(call.func, call.args, [*keywords, ast.keyword("null", ast.Constant(True))])


def check_field_expression(project, ref, name: str, expression: str, nullable: bool) -> FieldExpression:
    """Parse and check the expression for the new field ``name`` of the model ``ref`` (a ModelRef)."""
    call = parse_field_call(expression)
    text = expression.strip()
    if nullable:
        call = with_null(call)
        text = flat(call)
    tree = parse_source(read_source(ref.source.path), ref.source.path)
    resolver = _Resolver(project)
    resolved = resolver.resolve(dotted_name(call.func), tree, ref.source.path)
    result = FieldExpression(call, text, call)
    shown = dotted_name(call.func)
    if resolved is None:
        result.warnings.append(f"{shown} comes from another package: its arguments were not checked")
        return result
    django_class, own = resolved
    from .django_probe import probe

    construct = None if own else {"args": [_encoded(a, tree) for a in call.args], "kwargs": _kwargs(call, tree)}
    answer = probe({"class": django_class, "construct": construct, "name": name})
    if "error" in answer and (construct or "keywords" not in answer):
        raise _refused(f"{shown}(...) is refused by Django: {answer['error']}")
    if own:
        own.check(call, answer["keywords"], shown)
    result.relation, result.many_to_many = answer["relation"], answer["many_to_many"]
    if result.relation:
        result.migration = _checked_target(project, ref, call, shown, result.warnings)
    return result


@dataclass
class _OwnClass:
    """A project's field class: what its constructors take before handing over to Django's."""

    keywords: set[str]
    required: list[str]
    positional: list[str]
    passes_on: bool  # whether its ``__init__`` passes ``**kwargs`` on to Django's class

    def check(self, call: ast.Call, django_keywords: list[str], shown: str) -> None:
        given = {keyword.arg for keyword in call.keywords}
        accepted = self.keywords | (set(django_keywords) if self.passes_on else set())
        unknown = sorted(given - accepted)
        if unknown:
            raise _refused(f"{shown} takes no keyword argument {', '.join(unknown)} (checked in its definition)")
        covered = set(self.positional[: len(call.args)]) | given
        missing = [parameter for parameter in self.required if parameter not in covered]
        if missing:
            raise _refused(f"{shown} needs the argument {', '.join(missing)} (checked in its definition)")


class _Resolver:
    """Follow a dotted class name through imports to Django's class, or a project class to its Django base."""

    def __init__(self, project):
        self.project = project

    def resolve(self, dotted: str, tree: ast.Module, path: Path) -> tuple[str, _OwnClass | None] | None:
        """(Django's class path, the project's class when it is one) or ``None`` for another package's."""
        full = self._full_name(dotted, tree, path)
        if full is None:
            return self._local_class(dotted, tree, path, 0)
        return self._by_path(full, 0)

    def _full_name(self, dotted: str, tree: ast.Module, path: Path) -> str | None:
        root, _, rest = dotted.partition(".")
        for imp in reversed(module_imports(tree)):
            if imp.bound != root:
                continue
            if imp.name:
                base = f"{imp.module}.{imp.name}"
            else:
                base = imp.module if imp.asname else root
            return f"{base}.{rest}" if rest else base
        if any(isinstance(node, ast.ClassDef) and node.name == root for node in tree.body):
            return None
        if root in BUILTIN_NAMES:
            raise _refused(f"{dotted}(...) is not a field, e.g. models.IntegerField(db_default=0)")
        raise _refused(
            f"cannot resolve {dotted}: it uses '{root}', which that file does not import "
            f"({self.project.relative(path)}); import it first"
        )

    def _by_path(self, full: str, depth: int):
        if full.split(".")[0] == "django":
            return full, None
        module, _, name = full.rpartition(".")
        source = self._module_file(module)
        if source is None:
            return None
        return self._local_class(name, parse_source(read_source(source), source), source, depth + 1)

    def _local_class(self, name: str, tree: ast.Module, path: Path, depth: int):
        if depth > MAX_DEPTH:
            raise _refused(f"cannot follow the imports of {name} (from {self.project.relative(path)})")
        for node in tree.body:
            if isinstance(node, ast.ClassDef) and node.name == name:
                return self._class(node, tree, path, depth)
        for imp in module_imports(tree):
            if imp.bound == name and imp.name:
                return self._by_path(f"{imp.module}.{imp.name}", depth)
        if name in BUILTIN_NAMES:
            raise _refused(f"{name} is not a field class")
        raise _refused(f"{self.project.relative(path)} has no field class named {name}")

    def _class(self, node: ast.ClassDef, tree: ast.Module, path: Path, depth: int):
        bases = [dotted_name(base) for base in node.bases]
        if len(bases) != 1 or bases[0] is None:
            where = f"{self.project.relative(path)}:{node.lineno}"
            raise _refused(f"{node.name} ({where}) does not have one plain base class: cannot check it")
        full = self._full_name(bases[0], tree, path)
        parent = self._by_path(full, depth) if full else self._local_class(bases[0], tree, path, depth + 1)
        if parent is None:
            return None
        django_class, inherited = parent
        init = next((s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"), None)
        if init is None:
            return django_class, inherited or _OwnClass(set(), [], [], True)
        arguments = init.args
        positional = [a.arg for a in arguments.posonlyargs + arguments.args][1:]
        defaults = len(arguments.defaults)
        required = positional[: len(positional) - defaults] if defaults else list(positional)
        required += [a.arg for a, d in zip(arguments.kwonlyargs, arguments.kw_defaults) if d is None]
        keywords = {a.arg for a in arguments.args[1:] + arguments.kwonlyargs}
        passes_on = arguments.kwarg is not None
        if passes_on and inherited:
            keywords |= inherited.keywords
            passes_on = inherited.passes_on
        return django_class, _OwnClass(keywords, required, positional, passes_on)

    def _module_file(self, module: str) -> Path | None:
        tails = (module.replace(".", "/") + ".py", module.replace(".", "/") + "/__init__.py")
        for path in self.project.python_files:
            text = path.as_posix()
            if any(text.endswith("/" + tail) for tail in tails):
                return path
        return None


def _encoded(node: ast.expr, tree: ast.Module) -> dict:
    """A value for the probe: a literal, a name from Django or the builtins, or unknown."""
    try:
        ast.literal_eval(node)
        return {"literal": ast.unparse(node)}
    except ValueError:
        pass
    dotted = dotted_name(node)
    if dotted:
        root, _, rest = dotted.partition(".")
        for imp in reversed(module_imports(tree)):
            if imp.bound == root and imp.module.split(".")[0] == "django":
                base = f"{imp.module}.{imp.name}" if imp.name else (imp.module if imp.asname else root)
                return {"import": f"{base}.{rest}" if rest else base}
        if root in BUILTIN_NAMES and not any(imp.bound == root for imp in module_imports(tree)):
            return {"import": f"builtins.{dotted}"}
    return {}


def _kwargs(call: ast.Call, tree: ast.Module) -> dict:
    return {keyword.arg: _encoded(keyword.value, tree) for keyword in call.keywords}


def _checked_target(project, ref, call: ast.Call, shown: str, warnings: list[str]) -> ast.Call:
    """Refuse a relation to a model the state does not have; ``"self"`` is written as Django writes it."""
    keywords = {keyword.arg: keyword.value for keyword in call.keywords}
    node = keywords.get("to") or (call.args[0] if call.args else None)
    if node is None:
        raise _refused(f"{shown} needs the model it points at (its first argument or to=)")
    if isinstance(node, ast.Name):
        text = node.id
    elif isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    else:
        warnings.append(f"{shown} points at {flat(node)}, which cannot be checked statically")
        return call
    if text == "self":
        target = ast.Constant(f"{ref.app_label}.{ref.state.name.lower()}")
        _check_reverse_names(ref, call, target.value, shown)
        if "to" in keywords:
            return ast.Call(
                call.func, call.args, [ast.keyword(k.arg, target if k.arg == "to" else k.value) for k in call.keywords]
            )
        return ast.Call(call.func, [target, *call.args[1:]], call.keywords)
    app_label, _, model = text.rpartition(".")
    app_label = app_label or ref.app_label
    if app_label not in project.apps:
        warnings.append(f"{shown} points at {text}, outside this repository's apps: not checked")
        return call
    if project.index.model_state(app_label, model) is None:
        raise _refused(f"{shown} points at {app_label}.{model}, which is not a model in the migrations")
    _check_reverse_names(ref, call, f"{app_label}.{model}".lower(), shown)
    return call


def _reverse_names(model: str, kwargs: dict, one_to_one: bool) -> set[str]:
    """The reverse accessor and query name a relation gives its target (none when hidden with '+')."""
    related = kwargs.get("related_name")
    related = related.value if isinstance(related, ast.Constant) else related
    if isinstance(related, str) and related.endswith("+"):
        return set()
    query = kwargs.get("related_query_name")
    query = query.value if isinstance(query, ast.Constant) else query
    accessor = related if related is not None else (model if one_to_one else f"{model}_set")
    return {f"accessor:{accessor}", f"query:{query or related or model}"}


def check_reverse_name_clash(project, ref, name: str, argument: str = "name") -> None:
    """fields.E302/E303: a field may not take the name of a reverse accessor or query name that a relation
    pointing at its model (``ref``, a ``targets.ModelRef``) gives it. Relations that cannot all be read are
    left to Django's check (``--verify``)."""
    target = f"{ref.app_label}.{ref.state.name}".lower()
    try:
        inbound = project.index.inbound_relations(ref.app_label, ref.state.name)
    except AssistantError:
        return
    for label, model, relation in inbound:
        to_self = f"{label}.{model.name}".lower() == target
        symmetrical = relation.is_many_to_many and to_self and not is_false(relation.kwargs.get("symmetrical"))
        if relation.target != target or symmetrical:  # a through model's, or hidden
            continue
        names = _reverse_names(model.name.lower(), relation.kwargs, "OneToOne" in relation.class_name)
        for kind, rule in (("accessor", "fields.E302"), ("query", "fields.E303")):
            if f"{kind}:{name}" in names:
                what = "reverse accessor" if kind == "accessor" else "reverse query name"
                raise AssistantError(
                    f"'{name}' is the {what} {label}.{model.name}.{relation.name} gives {ref.label} ({rule}): "
                    "choose another name",
                    argument=argument,
                )


def check_renamed_reverse_names(project, ref, new: str) -> None:
    """fields.E302/E303 after renaming the model ``ref`` to ``new``: the reverse names its relations give their
    targets by default follow its name, and may not be a field of the target."""
    for relation in ref.state.fields.values():
        app, _, model = (relation.target or "").partition(".")
        target = project.index.model_state(app, model) if relation.is_relation and app in project.apps else None
        if target is None:
            continue
        own = f"{app}.{model}" == f"{ref.app_label}.{ref.state.name}".lower()
        if relation.is_many_to_many and own and not is_false(relation.kwargs.get("symmetrical")):
            continue  # symmetrical: no reverse names
        fields = {field.name for field in (ref.state if own else target).fields.values()}
        names = _reverse_names(new.lower(), relation.kwargs, "OneToOne" in relation.class_name)
        for kind, what, rule in (
            ("accessor", "reverse accessor", "fields.E302"),
            ("query", "reverse query name", "fields.E303"),
        ):
            clash = next((name for name in fields if f"{kind}:{name}" in names), None)
            if clash:
                raise AssistantError(
                    f"renamed {new}, {ref.label}.{relation.name} would give {target.app_label}.{target.name} the "
                    f"{what} '{clash}', the name of one of its fields ({rule}): give {relation.name} a related_name "
                    "first, or choose another name",
                    argument="new_name",
                )


def _check_reverse_names(ref, call: ast.Call, target: str, shown: str) -> None:
    """fields.E304/E305: two relations from one model to another need distinct related names."""
    model = ref.state.name.lower()
    one_to_one = "OneToOne" in (dotted_name(call.func) or "")
    names = _reverse_names(model, {k.arg: k.value for k in call.keywords}, one_to_one)
    for other in ref.state.fields.values():
        if not other.is_relation or other.target != target:
            continue
        if names & _reverse_names(model, other.kwargs, "OneToOne" in other.class_name):
            raise _refused(
                f"{shown} and {ref.label}.{other.name} would both point at {target} with the same reverse "
                "accessor or query name (fields.E304/E305): give the new field a related_name"
            )
