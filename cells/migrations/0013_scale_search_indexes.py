"""Indexes for national-scale reads.

The meeting list pages newest first off (date, id). On PostgreSQL, trigram (pg_trgm GIN)
indexes serve the organization search: `name_folded LIKE '%word%'` and `UPPER(code) LIKE
'%WORD%'` are the exact expressions `cells.queries.matching_organizations` sends. SQLite has no
such index and needs none at the sizes it serves: there the operation does nothing.
"""

from django.db import migrations, models

TRIGRAM_INDEXES = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS cells_org_folded_trgm ON cells_organization USING gin (name_folded gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS cells_org_code_trgm ON cells_organization USING gin (UPPER(code::text) gin_trgm_ops)",
]
DROP_TRIGRAM_INDEXES = ["DROP INDEX IF EXISTS cells_org_folded_trgm", "DROP INDEX IF EXISTS cells_org_code_trgm"]


def run_on_postgresql(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        for statement in statements:
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("cells", "0012_merge_meeting_version_label"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="meeting",
            index=models.Index(fields=["date", "id"], name="cells_meeting_date_id_idx"),
        ),
        migrations.RunPython(run_on_postgresql(TRIGRAM_INDEXES), run_on_postgresql(DROP_TRIGRAM_INDEXES)),
    ]
