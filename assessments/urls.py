from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("xep-loai/", views.YearIndexView.as_view(), name="index"),
    path("xep-loai/nhap-tep/", views.ClassificationImportView.as_view(), name="import"),
    path("xep-loai/nhap-tep/lan/<id:run_id>/", views.ClassificationImportRunView.as_view(), name="import_run"),
    path("xep-loai/<code:org_code>/<year:year>/", views.YearView.as_view(), name="year"),
    path("xep-loai/<code:org_code>/<year:year>/nhap/", views.YearEntryView.as_view(), name="entry"),
]
