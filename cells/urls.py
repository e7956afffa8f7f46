from django.urls import path

from cells import views

app_name = "cells"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("to-chuc/", views.TreeView.as_view(), name="tree"),
    path("tim-kiem/", views.SearchView.as_view(), name="search"),
    path("nhap-to-chuc/", views.OrganizationImportView.as_view(), name="import"),
    path("to-chuc/<str:org_code>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("to-chuc/<str:org_code>/nhanh/", views.ChildrenView.as_view(), name="children"),
]

# Meetings, admissions and the watch list (cells/meeting_urls.py).
from cells.meeting_urls import urlpatterns as meeting_urlpatterns  # noqa: E402

urlpatterns += meeting_urlpatterns
