from django.urls import path

from assessments import views

app_name = "assessments"

urlpatterns = [
    path("xep-loai/", views.YearIndexView.as_view(), name="index"),
    path("xep-loai/<code:org_code>/<year:year>/", views.YearView.as_view(), name="year"),
    path("xep-loai/<code:org_code>/<year:year>/nhap/", views.YearEntryView.as_view(), name="entry"),
]
