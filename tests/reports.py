"""Reports and exports are background runs (cells.report_runs): ask for one as a page does, follow
its run, download its file. With `reports_at_once` (tests/conftest.py) the run is sent as the
request ends and runs in the test's process, so the file is there when the run's page opens."""

from django.http import HttpResponse
from django.urls import resolve, reverse

from cells.models import Run


def report_run(client, url: str, **data) -> Run:
    """Post the page's button; the answer leads to the run's page, which opens."""
    response = client.post(url, data)
    assert response.status_code == 302, (response.status_code, url)
    match = resolve(response.url)
    assert match.view_name == "cells:report_run", response.url
    assert client.get(response.url).status_code == 200
    return Run.objects.get(pk=match.kwargs["report_run_id"])


def file_of(client, run: Run):
    """The run's file as its download answers it, read from the stream into a plain response."""
    response = client.get(reverse("cells:report_download", kwargs={"report_run_id": run.pk}))
    if response.status_code != 200:
        return response
    read = HttpResponse(response.getvalue(), content_type=response["Content-Type"])
    read["Content-Disposition"] = response["Content-Disposition"]
    return read


def report_download(client, url: str, **data):
    run = report_run(client, url, **data)
    run.refresh_from_db()
    assert run.state == Run.State.DONE, (run.state, run.error)
    response = file_of(client, run)
    assert response.status_code == 200
    return response
