from django.db import migrations


class SafeRunSQL(migrations.RunSQL):
    """RunSQL that a reviewer has approved; CheckedMigration refuses plain RunSQL."""
