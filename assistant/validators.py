"""The rules for names a user types, one clear message each.

The command line and the assistant's forms call the same functions: each
returns the accepted value or raises ``AssistantError`` saying what is wrong.
"""

from __future__ import annotations

import ast
import keyword
import re
import unicodedata

from .errors import AssistantError

# What Django's Model class and its metaclass define: a field of that name breaks the model.
MODEL_ATTRIBUTES = frozenset(
    {
        "pk", "objects", "check", "save", "save_base", "asave", "delete", "adelete", "clean", "clean_fields",
        "full_clean", "refresh_from_db", "arefresh_from_db", "from_db", "get_deferred_fields", "get_constraints",
        "prepare_database_save", "serializable_value", "unique_error_message", "date_error_message",
        "validate_unique", "validate_constraints", "DoesNotExist", "MultipleObjectsReturned", "NotUpdated",
    }
)  # fmt: skip
MAX_MODEL_NAME = 100  # contenttypes.E005: ContentType.model is a CharField(max_length=100)
MAX_PERMISSION_CODENAME = 100  # auth.E012: "change_<model>" must fit Permission.codename
MAX_INDEX_NAME = 30  # models.E034
MAX_FILE_NAME = 255  # bytes, on every common filesystem
MAX_DERIVED_NAME = 52  # derived migration names are cut here, as Django's own are kept short


def check_identifier(text: str, what: str, soft_keywords: bool = False, argument: str = "name") -> str:
    """A Python identifier that is not a keyword (``class``, ``None``); with ``soft_keywords``, not
    ``match``, ``case``, ``type`` or ``_`` either. Each refusal names ``argument`` (see ``AssistantError``)."""
    if keyword.iskeyword(text) or soft_keywords and keyword.issoftkeyword(text):
        raise AssistantError(f"'{text}' is a Python keyword, not a valid {what}", argument=argument)
    if not text.isidentifier():
        raise AssistantError(f"'{text}' is not a valid {what} (expected a Python identifier)", argument=argument)
    return text


def check_field_name(
    name: str,
    taken: set[str] = frozenset(),
    module_names: set[str] = frozenset(),
    model: str = "the model",
    argument: str = "name",
) -> str:
    """A name Django accepts for a new field: ``taken`` are the model's names (fields, inherited
    fields, ``*_id`` columns, attributes), ``module_names`` what its module binds at top level.
    Each refusal names ``argument``."""
    check_identifier(name, "field name", argument=argument)
    if name in MODEL_ATTRIBUTES:
        raise AssistantError(
            f"'{name}' is reserved by Django's Model (a field of that name breaks the model)", argument=argument
        )
    if "__" in name or name.endswith("_"):
        raise AssistantError(f"'{name}' is not a valid Django field name (no '__', no trailing '_')", argument=argument)
    if name in module_names:
        raise AssistantError(
            f"'{name}' is already a name in the model's module (an import or a definition): "
            "a field of that name would shadow it in the class body",
            argument=argument,
        )
    if name in taken:
        raise AssistantError(f"{model} already has a field or attribute named {name}", argument=argument)
    same = sorted(known for known in taken if known.lower() == name.lower())
    if same:
        raise AssistantError(
            f"{model} already has a field or attribute named {same[0]} (names differing only in case clash "
            "as columns: SQLite and MySQL compare column names without case)",
            argument=argument,
        )
    return name


def check_model_name(name: str, argument: str = "new_name") -> str:
    """A model name Django (E023/E024), contenttypes (E005) and auth (E012) accept (a rename's new name)."""
    check_identifier(name, "model name", argument=argument)
    if name.startswith("_") or name.endswith("_"):
        raise AssistantError(
            f"'{name}' is not a valid model name: it cannot start or end with '_' (models.E023)", argument=argument
        )
    if "__" in name:
        raise AssistantError(
            f"'{name}' is not a valid model name: it cannot contain '__' (models.E024)", argument=argument
        )
    longest = MAX_PERMISSION_CODENAME - len("change_")
    if len(name) > min(MAX_MODEL_NAME, longest):
        raise AssistantError(
            f"the model name is {len(name)} characters long: at most {longest} fit its permission codenames "
            f"(change_{name.lower()[:8]}…, auth.E012) and {MAX_MODEL_NAME} its content type (contenttypes.E005)",
            argument=argument,
        )
    return name


def check_migration_name(name: str, prefix: int = len("0001_"), suffix: int = len(".py")) -> str:
    """A migration name a user typed (without the number): ASCII, fits a file name."""
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        hint = " (ASCII only)" if not name.isascii() else ""
        raise AssistantError(
            f"invalid migration name '{name}': use letters, digits and underscores{hint}, without the number",
            argument="name",
        )
    if prefix + len(name.encode()) + suffix > MAX_FILE_NAME:
        raise AssistantError(
            f"the migration name is {len(name)} characters long: its file name would pass the filesystem's "
            f"{MAX_FILE_NAME}-byte limit (at most {MAX_FILE_NAME - prefix - suffix})",
            argument="name",
        )
    return name


def migration_slug(text: str) -> str:
    """A migration name derived from names (e.g. ``rename_team_to_équipe``): ASCII, short enough."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^A-Za-z0-9_]+", "_", ascii_text).strip("_").lower()
    slug = re.sub(r"_{2,}", "_", slug)
    if len(slug) > MAX_DERIVED_NAME:
        slug = slug[:MAX_DERIVED_NAME].rstrip("_")
    if not slug or slug[0].isdigit():
        slug = f"auto_{slug}".rstrip("_")
    return slug


def check_function_name(name: str, taken: set[str]) -> str:
    """A function name for a migration file: an identifier that does not shadow what the file binds."""
    check_identifier(name, "function name", soft_keywords=True)
    if name in taken:
        raise AssistantError(
            f"'{name}' is a name the migration file already uses (its imports and class): "
            "the function would shadow it; choose another name",
            argument="name",
        )
    return name


def bound_names(source: str) -> set[str]:
    """Names a module binds at top level: imports, classes, functions, assignments."""
    names: set[str] = set()
    for node in ast.parse(source).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update(alias.asname or alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for target in targets for t in ast.walk(target) if isinstance(t, ast.Name))
    return names


def check_index_name(name: str, taken: dict[str, str]) -> str:
    """Django's rules for an index name (E033/E034); ``taken``: names used in the project → by what."""
    if len(name) > MAX_INDEX_NAME:
        raise AssistantError(
            f"invalid index name '{name}': longer than Django's {MAX_INDEX_NAME} characters (models.E034)",
            argument="name",
        )
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", name):
        raise AssistantError(
            f"invalid index name '{name}': ASCII letters, digits and underscores, starting with a letter",
            argument="name",
        )
    if name in taken:
        raise AssistantError(
            f"the name {name} is already used by {taken[name]}: index names are unique (E030)", argument="name"
        )
    return name


def check_index_field(written: str, field_names: list[str], model: str) -> tuple[bool, str]:
    """``name`` or ``-name`` (descending), naming one of ``field_names`` exactly: (descending, name)."""
    descending = written.startswith("-")
    name = written[1:] if descending else written
    if name in field_names:
        return descending, name
    if not name.isidentifier():
        raise AssistantError(
            f"invalid index field '{written}': a field name, with one optional leading '-'", argument="fields"
        )
    close = [known for known in field_names if known.lower() == name.lower()]
    hint = f" (did you mean {close[0]}? names are case-sensitive)" if close else ""
    raise AssistantError(f"{model} has no column field named {name}{hint}", argument="fields")


def model_names_taken(ref) -> set[str]:
    """What a model (a ``targets.ModelRef``) already names: fields (its own and inherited), ``*_id``
    columns of its relations, methods and other class attributes."""
    source = ref.source
    taken = set(source.fields) | set(source.inherited)
    if ref.state is not None:
        taken |= {field.name for field in ref.state.fields.values()}
        taken |= {f"{field.name}_id" for field in ref.state.fields.values() if field.is_relation}
    for node in source.node.body:
        if hasattr(node, "name"):
            taken.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            taken.update(target.id for target in targets if isinstance(target, ast.Name))
    return taken
