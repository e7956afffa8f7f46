"""Document numbers stored once, without "Số": "Số 35-QĐ/HU" and "số 35-qđ/hu" become "35-QĐ/HU"."""

from django.db import migrations

from cells.text import document_number

FIELDS = [
    ("plans", "Candidate", "decision_number"),
    ("plans", "Plan", "number"),
    ("assessments", "Classification", "decision_number"),
    ("cells", "Admission", "decision_number"),
]


def normalize(apps, schema_editor):
    for app_label, model_name, field in FIELDS:
        model = apps.get_model(app_label, model_name)
        for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field).iterator():
            normalized = document_number(value)
            if normalized != value:
                model.objects.filter(pk=pk).update(**{field: normalized})


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0003_plans_tasks_reports"),
        ("assessments", "0002_corrections"),
        ("cells", "0005_cells_end_with_their_grassroots"),
    ]

    operations = [migrations.RunPython(normalize, migrations.RunPython.noop)]
