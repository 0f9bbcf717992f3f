"""The static reader agrees with Django, or says (file:line) what it cannot read."""

import json
import textwrap

import pytest

from migrate_assistant.errors import AssistantError
from migrate_assistant.project import discover
from migrate_assistant.state_report import state_report

from .conftest import assert_no_model_changes, tree_state
from .helpers import migration_source

SETTINGS = 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n'


def project(tmp_path, files: dict[str, str], settings: str = 'AUTH_USER_MODEL = "accounts.Person"\n'):
    """A small repository: ``manage.py``, ``proj/settings.py`` and the given files (apps get packages)."""
    root = tmp_path / "repo"
    files = {"manage.py": SETTINGS, "proj/__init__.py": "", "proj/settings.py": settings, **files}
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text))
        if "/migrations/" in relative:
            (path.parent / "__init__.py").write_text("")
            (path.parent.parent / "__init__.py").write_text("")
    return discover(root)


def create(name, *fields):
    rows = "".join(f"        ({field!r}, {expr}),\n" for field, expr in fields)
    return f'migrations.CreateModel(\n    name="{name}",\n    fields=[\n{rows}    ],\n),'


ID = ("id", "models.BigAutoField(primary_key=True, serialize=False)")


def fields_of(project_, app, model):
    return state_report(project_, [f"{app}.{model}"])["apps"][app]["models"][model]["fields"]


def test_operations_built_from_names_and_plus(tmp_path):
    source = (
        "from django.db import migrations, models\n\n"
        f"A = [{create('Attribute', ID, ('name', 'models.CharField(max_length=9)'))}]\n"
        f"B = [{create('AttributeValue', ID)}]\n\n\n"
        "def more():\n"
        '    local = [migrations.AddField("attributevalue", "slug", models.SlugField(null=True))]\n'
        "    return local\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = []\n"
        "    state_operations = [migrations.RemoveField('attribute', 'name')]\n"
        "    operations = A + B + more() + [\n"
        "        migrations.SeparateDatabaseAndState(state_operations=state_operations),\n"
        "    ]\n"
    )
    found = project(tmp_path, {"attribute/migrations/0001_initial.py": source})
    report = state_report(found, ["attribute"])["apps"]["attribute"]
    assert sorted(report["models"]) == ["Attribute", "AttributeValue"]
    assert list(report["models"]["Attribute"]["fields"]) == ["id"]  # the removed field left the state
    assert report["models"]["AttributeValue"]["fields"]["slug"]["null"] is True
    assert report["unreadable"] == []


def test_operation_subclasses_act_as_their_django_base(tmp_path):
    first = migration_source(operations=create("Old", ID) + "\n" + create("Gone", ID) + "\n" + create("Third", ID))
    second = (
        "from django.db import migrations\nfrom shop.operations import DropIfExists\n\n\n"
        "class DeleteModelIfExists(migrations.DeleteModel):\n    pass\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('shop', '0001_initial')]\n"
        "    operations = [DeleteModelIfExists('Gone'), DropIfExists(name='Third')]\n"
    )
    found = project(
        tmp_path,
        {
            "shop/migrations/0001_initial.py": first,
            "shop/migrations/0002_drop.py": second,
            "shop/operations.py": "from django.db.migrations import DeleteModel\n\n\nclass DropIfExists(DeleteModel):\n"
            "    pass\n",
        },
    )
    assert list(state_report(found, ["shop"])["apps"]["shop"]["models"]) == ["Old"]


def test_what_cannot_be_read_is_unreadable_and_refused(tmp_path):
    second = (
        "from django.db import migrations\nfrom shop.ops import build\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('shop', '0001_initial')]\n"
        "    operations = [migrations.AlterField('product', 'price', field=build())]\n"
    )
    found = project(
        tmp_path,
        {
            "shop/migrations/0001_initial.py": migration_source(
                operations=create("Product", ID, ("price", "models.IntegerField()"))
            ),
            "shop/migrations/0002_dynamic.py": second,
        },
    )
    report = state_report(found, ["shop"])["apps"]["shop"]
    assert report["unreadable"] == [
        {"file": "shop/migrations/0002_dynamic.py", "line": 7, "why": "field build() is not a field class call"}
    ]
    with pytest.raises(AssistantError, match=r"shop/migrations/0002_dynamic.py:7: field build\(\)"):
        found.index.model_state("shop", "Product")


def test_a_list_computed_at_run_time_makes_the_whole_app_unreadable(tmp_path, cli):
    second = (
        "from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n"
        "    dependencies = [('shop', '0001_initial')]\n    operations = make_operations()\n"
    )
    found = project(
        tmp_path,
        {
            "shop/migrations/0001_initial.py": migration_source(operations=create("Product", ID)),
            "shop/migrations/0002_dynamic.py": second,
            "shop/models.py": "from django.db import models\n\n\nclass Product(models.Model):\n    pass\n",
        },
    )
    result = cli(found.root, "status", "--format", "json")
    [app] = json.loads(result.out)["apps"]
    assert app["unreadable"][0]["file"] == "shop/migrations/0002_dynamic.py"
    assert "computed at run time" in app["unreadable"][0]["why"]
    text = cli(found.root, "status").out
    assert "shop: shop/migrations/0002_dynamic.py:6: cannot read the list make_operations()" in text
    before = tree_state(found.root)
    result = cli(found.root, "add-field", "shop.Product.x", "models.IntegerField(null=True)")
    assert result.code == 1 and "0002_dynamic.py:6" in result.err and tree_state(found.root) == before


def test_rename_model_retargets_relations_in_every_app_as_django_orders_them(tmp_path):
    fk = 'models.ForeignKey(on_delete=models.CASCADE, to="catalog.productclass")'
    found = project(
        tmp_path,
        {
            "catalog/migrations/0001_initial.py": migration_source(operations=create("ProductClass", ID)),
            "catalog/migrations/0002_rename.py": migration_source(
                [("catalog", "0001_initial"), ("orders", "0001_initial")],
                'migrations.RenameModel(old_name="ProductClass", new_name="ProductType"),',
            ),
            "orders/migrations/0001_initial.py": migration_source(
                [("catalog", "0001_initial")], create("Line", ID, ("product_type", fk))
            ),
            "orders/migrations/0002_after.py": migration_source(
                [("orders", "0001_initial"), ("catalog", "0002_rename")],
                'migrations.AddField("line", "kind", models.ForeignKey(on_delete=models.CASCADE, '
                'to="catalog.producttype", db_constraint=False)),',
            ),
            # Django plans this one after the rename (it does not depend on orders): it is not repointed
            "reports/migrations/0001_initial.py": migration_source(
                [("catalog", "0001_initial")], create("Row", ID, ("product_type", fk))
            ),
        },
    )
    fields = fields_of(found, "orders", "Line")
    assert fields["product_type"]["to"] == "catalog.producttype"
    assert fields["kind"] == {
        "class": "ForeignKey",
        "column": "kind_id",
        "null": False,
        "db_constraint": False,
        "to": "catalog.producttype",
        "primary_key": False,
        "many_to_many": False,
    }
    assert fields_of(found, "reports", "Row")["product_type"]["to"] == "catalog.productclass"
    field = found.index.model_state("orders", "Line").field("product_type")
    assert field.kwargs["to"].value == "catalog.ProductType"
    inbound = found.index.inbound_relations("catalog", "ProductType")
    assert sorted((app, f.name) for app, _, f in inbound) == [("orders", "kind"), ("orders", "product_type")]


def test_rename_field_of_a_relation_target_field_retargets_to_field(tmp_path):
    fk = 'models.ForeignKey(on_delete=models.CASCADE, to="catalog.product", to_field="code")'
    found = project(
        tmp_path,
        {
            "catalog/migrations/0001_initial.py": migration_source(
                operations=create("Product", ID, ("code", "models.CharField(max_length=9, unique=True)"))
            ),
            "catalog/migrations/0002_sku.py": migration_source(
                [("catalog", "0001_initial"), ("orders", "0001_initial")],
                'migrations.RenameField("product", "code", "sku"),',
            ),
            "orders/migrations/0001_initial.py": migration_source(
                [("catalog", "0001_initial")], create("Line", ID, ("product", fk))
            ),
        },
    )
    field = found.index.model_state("orders", "Line").field("product")
    assert field.kwargs["to_field"].value == "sku" and field.kwargs["to"].value == "catalog.product"


def test_swappable_settings_are_read_statically(tmp_path):
    user_fk = "models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL)"
    files = {
        "accounts/migrations/0001_initial.py": migration_source(operations=create("Person", ID)),
        "blog/migrations/0001_initial.py": "from django.conf import settings\n"
        + migration_source(
            ["migrations.swappable_dependency(settings.AUTH_USER_MODEL)"], create("Post", ID, ("author", user_fk))
        ).replace(
            "'migrations.swappable_dependency(settings.AUTH_USER_MODEL)'",
            "migrations.swappable_dependency(settings.AUTH_USER_MODEL)",
        ),
    }
    found = project(tmp_path, files)
    assert fields_of(found, "blog", "Post")["author"]["to"] == "accounts.person"
    assert found.index.graph.parents[("blog", "0001_initial")] == [("accounts", "0001_initial")]
    default = project(tmp_path / "default", files, settings="DEBUG = True\n")
    assert fields_of(default, "blog", "Post")["author"]["to"] == "auth.user"
    computed = project(tmp_path / "computed", files, settings='import os\nAUTH_USER_MODEL = os.environ["USER_MODEL"]\n')
    report = state_report(computed, ["blog"])["apps"]["blog"]
    assert report["models"]["Post"]["fields"]["author"]["to"] is None
    [item] = report["unreadable"]
    assert item["file"] == "blog/migrations/0001_initial.py"
    assert item["why"] == "field author: settings.AUTH_USER_MODEL: proj/settings.py:2: AUTH_USER_MODEL is computed"
    with pytest.raises(AssistantError, match="AUTH_USER_MODEL is computed"):
        computed.index.model_state("blog", "Post")


def test_settings_module_from_configuration_and_star_imports(tmp_path, monkeypatch):
    monkeypatch.delenv("DJANGO_SETTINGS_MODULE", raising=False)
    found = project(
        tmp_path,
        {
            "pyproject.toml": '[tool.migrate-assistant]\nsettings = "config.settings.prod"\n',
            "config/__init__.py": "",
            "config/settings/__init__.py": "",
            "config/settings/base.py": 'AUTH_USER_MODEL = "users.User"\n',
            "config/settings/prod.py": "from .base import *  # noqa\nDEBUG = False\n",
            "users/migrations/0001_initial.py": migration_source(operations=create("User", ID)),
        },
    )
    assert found.index.settings.get("AUTH_USER_MODEL").value == "users.User"


def test_self_and_bare_names_resolve_within_the_app(tmp_path):
    found = project(
        tmp_path,
        {
            "tree/migrations/0001_initial.py": migration_source(
                operations=create(
                    "Node",
                    ID,
                    ("parent", 'models.ForeignKey(on_delete=models.CASCADE, to="self", null=True)'),
                    ("tags", 'models.ManyToManyField(to="Tag")'),
                )
            ),
        },
    )
    fields = fields_of(found, "tree", "Node")
    assert fields["parent"]["to"] == "tree.node" and fields["parent"]["column"] == "parent_id"
    assert fields["tags"] == {
        "class": "ManyToManyField",
        "column": None,
        "null": False,
        "db_constraint": True,
        "to": "tree.tag",
        "primary_key": False,
        "many_to_many": True,
    }


def test_broken_graph_stops_every_write(repo, cli):
    folder = repo / "src/sentry/uptime/migrations"
    (folder / "0003_broken.py").write_text("class Migration(:\n")
    path = folder / "0002_uptimeregion.py"
    path.write_text(
        path.read_text().replace(
            '("uptime", "0001_initial"),', '("uptime", "0001_initial"),\n        ("sentry", "0099_gone"),'
        )
    )
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if "0099_gone" in text)
    status = cli(repo, "status")
    assert status.code == 0
    assert "src/sentry/uptime/migrations/0003_broken.py:1: syntax error" in status.out
    state = cli(repo, "state", "uptime", "--format", "json")
    assert state.code == 0 and "0003_broken.py:1" in state.err
    unreadable = json.loads(state.out)["apps"]["uptime"]["unreadable"]
    assert unreadable[0]["file"] == "src/sentry/uptime/migrations/0003_broken.py" and unreadable[0]["line"] == 1
    assert f"src/sentry/uptime/migrations/0002_uptimeregion.py:{line}: dependency sentry.0099_gone does not exist" in (
        status.out
    )
    problems = json.loads(cli(repo, "status", "--format", "json").out)["graph_problems"]
    assert len(problems) == 2
    check = cli(repo, "check", str(path), "--format", "json")
    assert check.code == 1 and json.loads(check.out)["problems"] == problems
    before = tree_state(repo)
    for args in (
        ("remove-field", "sentry.Project.status", "--phase", "1"),
        ("add-index", "sentry.Project", "status"),
        ("fix-lockfile",),
    ):
        result = cli(repo, *args)
        assert result.code == 1, args
        assert "the migration graph is broken" in result.err and "0003_broken.py:1" in result.err
    assert tree_state(repo) == before


def test_external_and_special_dependencies_are_not_dangling(repo):
    path = repo / "src/sentry/uptime/migrations/0002_uptimeregion.py"
    path.write_text(
        path.read_text().replace(
            '("uptime", "0001_initial"),',
            '("uptime", "0001_initial"),\n        ("contenttypes", "0002_remove_content_type_name"),\n'
            '        ("auth", "__first__"),\n        ("uptime", "__first__"),\n        ("sentry", "__latest__"),',
        )
    )
    index = discover(repo).index
    assert index.graph_problems == []
    parents = index.graph.parents[("uptime", "0002_uptimeregion")]
    assert ("sentry", "0007_organization_default_role_pending") in parents
    assert ("uptime", "__first__") not in parents


def test_state_json_schema_on_the_sample(repo, cli):
    result = cli(repo, "state", "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert set(data) == {"apps"} and sorted(data["apps"]) == ["hybridcloud", "sentry", "uptime"]
    sentry = data["apps"]["sentry"]
    assert set(sentry) == {"leaves", "models", "pending_deletions", "unreadable"}
    assert sentry["leaves"] == ["0007_organization_default_role_pending"]
    assert sentry["pending_deletions"] == [
        {"target": "sentry.Organization.default_role", "migration": "sentry/0007_organization_default_role_pending"}
    ]
    assert sentry["unreadable"] == []
    for app in data["apps"].values():
        for model in app["models"].values():
            assert set(model) == {"table", "fields"} and isinstance(model["table"], str)
            for field in model["fields"].values():
                assert set(field) == {"class", "column", "null", "db_constraint", "to", "primary_key", "many_to_many"}
    project_fields = sentry["models"]["Project"]["fields"]
    assert project_fields["id"]["primary_key"] is True
    assert project_fields["organization"] == {
        "class": "FlexibleForeignKey",
        "column": "organization_id",
        "null": False,
        "db_constraint": True,
        "to": "sentry.organization",
        "primary_key": False,
        "many_to_many": False,
    }
    text = cli(repo, "state", "sentry.Project")
    assert "  sentry.Project  table sentry_project" in text.out
    assert "    organization: FlexibleForeignKey, column organization_id, -> sentry.organization" in text.out
    assert cli(repo, "state", "sentry.Nope").code == 1


FIELDS_MODULE = """
from django.db import models


class NullCharField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs["null"] = kwargs["blank"] = True
        super().__init__(*args, **kwargs)


class TagManager(models.Field):
    many_to_many = True

    def __init__(self, to=None, through=None):
        super().__init__(null=True, serialize=False)


class Computed(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs["null"] = compute()
        super().__init__(*args, **kwargs)
"""


def test_field_classes_outside_django_are_read_from_their_source(tmp_path):
    initial = "import elsewhere.fields\nimport shop.fields\n" + migration_source(
        operations=create(
            "Product",
            ID,
            ("code", "shop.fields.NullCharField(max_length=9, unique=True)"),
            ("tags", 'shop.fields.TagManager(to="shop.tag", through="shop.taggeditem")'),
            ("odd", "shop.fields.Computed(max_length=9)"),
            ("gone", "elsewhere.fields.Missing()"),
        )
    )
    found = project(tmp_path, {"shop/migrations/0001_initial.py": initial, "shop/fields.py": FIELDS_MODULE})
    report = state_report(found, ["shop"])["apps"]["shop"]
    fields = report["models"]["Product"]["fields"]
    assert fields["code"]["null"] is True and fields["code"]["column"] == "code"
    assert fields["tags"]["many_to_many"] is True and fields["tags"]["column"] is None and fields["tags"]["null"]
    assert fields["tags"]["to"] == "shop.tag"
    whys = [item["why"] for item in report["unreadable"]]
    assert whys == [
        "field odd: shop.fields.Computed: its __init__ sets null to a computed value: its null default and relation "
        "kind are unknown",
        "field gone: the source of elsewhere.fields.Missing is not found: its null default and relation kind are "
        "unknown",
    ]


def test_proxy_models_have_their_concrete_parent_table_and_no_fields(tmp_path):
    proxy = 'migrations.CreateModel(name="Special", fields=[], options={"proxy": True}, bases=("offer.benefit",)),'
    proxy += "\nmigrations.AlterModelOptions(name='special', options={'verbose_name': 'special'}),"  # keeps proxy
    found = project(
        tmp_path,
        {
            "offer/migrations/0001_initial.py": migration_source(
                operations='migrations.CreateModel(name="Benefit", fields=[("id", models.AutoField(primary_key=True))], '
                'options={"db_table": "offer_benefits"}),\n' + proxy
            ),
        },
    )
    models = state_report(found, ["offer"])["apps"]["offer"]["models"]
    assert models["Special"] == {"table": "offer_benefits", "fields": {}}


def test_operations_assigned_conditionally_are_unreadable(tmp_path):
    conditional = (
        "from django.db import connection, migrations, models\n\n\nclass Migration(migrations.Migration):\n"
        "    dependencies = [('search', '0001_initial')]\n"
        "    if connection.vendor == 'postgresql':\n"
        "        operations = [migrations.AddField('entry', 'body', models.TextField())]\n"
        "    else:\n"
        "        operations = []\n"
    )
    found = project(
        tmp_path,
        {
            "search/migrations/0001_initial.py": migration_source(operations=create("Entry", ID)),
            "search/migrations/0002_vendor.py": conditional,
        },
    )
    [item] = state_report(found, ["search"])["apps"]["search"]["unreadable"]
    assert item == {
        "file": "search/migrations/0002_vendor.py",
        "line": 4,
        "why": "operations is assigned conditionally or more than once",
    }
    with pytest.raises(AssistantError, match="0002_vendor.py:4"):
        found.index.model_state("search", "Entry")


def test_inbound_relations_refuse_when_a_relation_could_hide(tmp_path):
    user_fk = "models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL)"
    files = {
        "accounts/migrations/0001_initial.py": migration_source(operations=create("Person", ID)),
        "blog/migrations/0001_initial.py": "from django.conf import settings\n"
        + migration_source(operations=create("Post", ID, ("author", user_fk))),
    }
    readable = project(tmp_path, files)
    [(app, model, field)] = readable.index.inbound_relations("accounts", "Person")
    assert (app, model.name, field.name) == ("blog", "Post", "author")
    computed = project(tmp_path / "computed", files, settings="AUTH_USER_MODEL = pick()\n")
    with pytest.raises(AssistantError, match="relations to accounts.Person cannot all be found statically"):
        computed.index.inbound_relations("accounts", "Person")


RENAME_ENVIRONMENT = """from django.db import migrations

from sentry.new_migrations.migrations import CheckedMigration


class Migration(CheckedMigration):
    is_post_deployment = False

    dependencies = [("sentry", "0007_organization_default_role_pending")]

    operations = [migrations.RenameModel(old_name="Environment", new_name="Habitat")]
"""


def test_rename_model_on_the_sample_retargets_the_foreign_keys_to_it(repo, cli):
    (repo / "src/sentry/migrations/0008_rename_environment.py").write_text(RENAME_ENVIRONMENT)
    lockfile = repo / "migrations_lockfile.txt"
    text = lockfile.read_text().replace("0007_organization_default_role_pending", "0008_rename_environment")
    lockfile.write_text(text)
    for relative in ("src/sentry/models/environment.py", "src/sentry/models/__init__.py"):
        path = repo / relative
        text = (
            path.read_text()
            .replace("class Environment(", "class Habitat(")
            .replace('"sentry.Environment"', '"sentry.Habitat"')
        )
        path.write_text(
            text.replace("Environment, EnvironmentProject", "EnvironmentProject, Habitat").replace(
                '"Environment",', '"Habitat",'
            )
        )
    assert_no_model_changes(repo)
    state = json.loads(cli(repo, "state", "sentry.EnvironmentProject", "--format", "json").out)
    assert state["apps"]["sentry"]["models"]["EnvironmentProject"]["fields"]["environment"]["to"] == "sentry.habitat"
    # The through model's foreign key goes with the ManyToManyField that uses it (issue 12).
    targets = ("sentry.Habitat.projects", "sentry.EnvironmentProject.environment")
    result = cli(repo, "remove-field", *targets, "--phase", "1", "--dry-run")
    assert result.code == 0, result.err
    added = [line for line in result.out.splitlines() if line.startswith("+")]
    assert any('to="sentry.Habitat"' in line for line in added)
    assert not any("sentry.environment" in line for line in added)


def test_conditional_operations_that_leave_the_state_as_it_is_are_readable(tmp_path):
    conditional = (
        "import swapper\nfrom django.db import migrations\nfrom search.operations import Backfill\n\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('search', '0001_initial')]\n"
        "    if swapper.is_swapped('search', 'Entry'):\n"
        "        operations = []\n"
        "    else:\n"
        "        operations = [Backfill('search.Entry'), migrations.RunSQL('SELECT 1')]\n"
    )
    files = {
        "search/migrations/0001_initial.py": migration_source(operations=create("Entry", ID)),
        "search/migrations/0002_backfill.py": conditional,
        "search/operations.py": "from django.db import migrations\n\n\nclass Backfill(migrations.RunPython):\n    pass\n",
    }
    found = project(tmp_path, files)
    assert state_report(found, ["search"])["apps"]["search"]["unreadable"] == []
    assert found.index.model_state("search", "Entry").field("id") is not None
    files["search/operations.py"] = files["search/operations.py"].replace("RunPython", "DeleteModel")
    changing = project(tmp_path / "changing", files)
    [item] = state_report(changing, ["search"])["apps"]["search"]["unreadable"]
    assert (
        item["line"] == 11
        and item["why"] == "operations is assigned conditionally and Backfill (DeleteModel) changes the state"
    )
