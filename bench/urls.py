"""The project's URLs plus the benchmark's bare views (loaded by `python -m bench run` only)."""

from django.db import connection
from django.http import HttpResponse
from django.urls import path
from django.utils.html import escape

from vanlang.urls import urlpatterns as project_urlpatterns

# name -> (sql, params), filled by bench.run before the requests.
BARE_QUERIES: dict[int, tuple[str, list]] = {}


def bare_view(request, number: int):
    """One query, its rows in a plain table: what any page showing these rows must at least cost."""
    sql, params = BARE_QUERIES[number]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    body = "".join("<tr>" + "".join(f"<td>{escape(value)}</td>" for value in row) + "</tr>" for row in rows)
    return HttpResponse(f"<!doctype html><table>{body}</table>")


urlpatterns = [*project_urlpatterns, path("__bench__/bare/<int:number>/", bare_view)]
