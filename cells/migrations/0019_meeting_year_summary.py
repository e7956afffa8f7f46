"""Each cell's meetings of a year, counted (cells.MeetingYear), filled from the stored meetings.

The backfill is one INSERT ... SELECT ... GROUP BY (cell, year) on either database: the year is
Django's ExtractYear, which PostgreSQL and SQLite both compute. The kinds are this migration's own
copy of Meeting.REGULAR_KINDS and Meeting.THEMED_KINDS.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Count, Max, Q, Sum
from django.db.models.functions import ExtractYear

REGULAR_KINDS = ("regular", "combined")
THEMED_KINDS = ("themed", "combined")
COLUMNS = ("meeting_count", "regular", "themed", "present_sum", "roll_sum", "with_guest", "last_date")


def backfill(apps, schema_editor):
    Meeting = apps.get_model("cells", "Meeting")
    counts = (
        Meeting.objects.order_by()
        .annotate(meeting_year=ExtractYear("date"))
        .values("organization_id", "meeting_year")
        .annotate(
            meeting_count=Count("pk"),
            regular=Count("pk", filter=Q(kind__in=REGULAR_KINDS)),
            themed=Count("pk", filter=Q(kind__in=THEMED_KINDS)),
            present_sum=Sum("members_present"),
            roll_sum=Sum("members_total"),
            with_guest=Count("pk", filter=~Q(guest="")),
            last_date=Max("date"),
        )
    )
    sql, params = counts.query.sql_with_params()
    columns = ", ".join(COLUMNS)
    selected = ", ".join(f"s.{column}" for column in COLUMNS)
    schema_editor.execute(
        f"INSERT INTO cells_meetingyear (organization_id, year, {columns}) "
        f"SELECT s.organization_id, s.meeting_year, {selected} FROM ({sql}) s",
        params,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('cells', '0018_report_files_forget_schedule'),
    ]

    operations = [
        migrations.CreateModel(
            name='MeetingYear',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.PositiveSmallIntegerField(verbose_name='year')),
                ('meeting_count', models.PositiveIntegerField(verbose_name='meetings')),
                ('regular', models.PositiveIntegerField(verbose_name='regular meetings (combined included)')),
                ('themed', models.PositiveIntegerField(verbose_name='themed meetings (combined included)')),
                ('present_sum', models.PositiveIntegerField(verbose_name='members present, summed over the meetings')),
                ('roll_sum', models.PositiveIntegerField(verbose_name='members on the roll, summed over the meetings')),
                ('with_guest', models.PositiveIntegerField(verbose_name='meetings with a higher-level committee member')),
                ('last_date', models.DateField(verbose_name='last meeting')),
                ('organization', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='meeting_years', to='cells.organization', verbose_name='party cell')),
            ],
            options={
                'verbose_name': "cell's meetings in a year",
                'verbose_name_plural': "cells' meetings by year",
                'constraints': [models.UniqueConstraint(fields=('year', 'organization'), name='cells_meetingyear_one_per_cell_and_year', violation_error_message='This cell already has its meetings of this year counted.')],
            },
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop, elidable=True),
    ]
