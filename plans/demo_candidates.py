"""The candidate job over the demo years, and the district's schedule: Gia Miễn from 2016,
Tân Mỹ from 2017, Thụy Hùng (and three others) from 2018."""

from cells.models import Organization
from cells.runs import run_here
from plans.models import JobRun
from plans.services.candidates import candidates_run_work
from plans.services.schedule import DEFAULT, candidates_schedule_get, candidates_schedule_set

DEMO_YEARS = (2016, 2017, 2018)


def build():
    district = Organization.objects.get(code="VL")
    for year in DEMO_YEARS:
        if JobRun.objects.filter(year=year, scope=district).exists():
            continue  # the story's runs are there: running the demo again changes nothing
        run = JobRun.objects.create(year=year, scope=district, trigger=JobRun.Trigger.COMMAND)
        run_here(run=run, work=candidates_run_work)
    if not candidates_schedule_get(scope=district)["exists"]:
        candidates_schedule_set(
            scope=district, enabled=DEFAULT["enabled"], frequency=DEFAULT["frequency"], time=DEFAULT["time"]
        )
    return []
