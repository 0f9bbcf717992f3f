"""Small builders shared by the unit tests."""

from __future__ import annotations

import textwrap
from pathlib import Path

from migrate_assistant.migration_files import MigrationFile, read_migration


def migration_source(dependencies=(), operations="", replaces=(), extra="") -> str:
    deps = "".join(f"        {dep!r},\n" for dep in dependencies)
    repl = f"    replaces = {list(replaces)!r}\n" if replaces else ""
    ops = textwrap.indent(textwrap.dedent(operations).strip(), " " * 8)
    return (
        "import django.db.models.deletion\nfrom django.db import migrations, models\n\n"
        "import sentry.db.models.fields.foreignkey\n"
        "from sentry.new_migrations.monkey.fields import SafeRemoveField\n"
        "from sentry.new_migrations.monkey.models import SafeDeleteModel\n"
        "from sentry.new_migrations.monkey.state import DeletionAction\n\n\n"
        f"class Migration(migrations.Migration):\n{repl}{extra}"
        f"    dependencies = [\n{deps}    ]\n\n    operations = [\n{ops}\n    ]\n"
    )


def write_migrations(directory: Path, app: str, migrations: dict[str, str]) -> list[MigrationFile]:
    folder = directory / app / "migrations"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "__init__.py").write_text("")
    files = []
    for name, source in migrations.items():
        (folder / f"{name}.py").write_text(source)
        files.append(read_migration(app, folder / f"{name}.py"))
    return files
