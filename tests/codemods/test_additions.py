"""add_field / add_index: before/after source pairs."""

import textwrap

from migrate_assistant.codemods.additions import add_field, add_index

MODEL = textwrap.dedent(
    '''\
    class Project(Model):
        """Docstring."""

        name = models.CharField(max_length=200)  # the name
        # status
        status = models.IntegerField(
            default=0,
        )

        class Meta:
            app_label = "sentry"
            indexes = [
                models.Index(fields=["status"], name="status_idx"),  # keep
            ]

        def __str__(self):
            return self.name
    '''
)


def test_field_goes_after_the_last_field():
    after = add_field(MODEL, "m.py", "Project", "tier", "models.IntegerField(db_default=0)", {"name", "status"})
    assert after == MODEL.replace(
        "        default=0,\n    )\n", "        default=0,\n    )\n    tier = models.IntegerField(db_default=0)\n"
    )


def test_field_in_a_class_without_fields():
    source = 'class A(Model):\n    """Doc."""\n\n    def f(self):\n        return 1\n'
    assert add_field(source, "m.py", "A", "b", "models.TextField(null=True)", set()) == (
        'class A(Model):\n    """Doc."""\n    b = models.TextField(null=True)\n\n    def f(self):\n        return 1\n'
    )


def test_index_is_appended_in_the_list_layout():
    after = add_index(MODEL, "m.py", "Project", 'models.Index(fields=["name"], name="name_idx")')
    assert (
        '            models.Index(fields=["status"], name="status_idx"),  # keep\n'
        '            models.Index(fields=["name"], name="name_idx"),\n        ]\n'
    ) in after


def test_index_creates_indexes_and_meta_when_missing():
    one_line = 'class A(Model):\n    b = models.IntegerField()\n\n    class Meta:\n        app_label = "x"\n'
    assert add_index(one_line, "m.py", "A", 'models.Index(fields=["b"], name="b_idx")').endswith(
        '        app_label = "x"\n        indexes = [models.Index(fields=["b"], name="b_idx")]\n'
    )
    bare = "class A(Model):\n    b = models.IntegerField()\n"
    assert add_index(bare, "m.py", "A", 'models.Index(fields=["b"], name="b_idx")') == (
        'class A(Model):\n    b = models.IntegerField()\n\n    class Meta:\n        indexes = [models.Index(fields=["b"], name="b_idx")]\n'
    )


def test_pass_gives_way_to_the_first_field():
    assert add_field("class A(Model):\n    pass\n", "m.py", "A", "b", "models.TextField(null=True)", set()) == (
        "class A(Model):\n    b = models.TextField(null=True)\n"
    )
