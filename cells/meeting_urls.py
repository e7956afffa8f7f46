"""URLs of meetings, admissions and the watch list, added to the `cells` namespace by cells/urls.py."""

from django.urls import path

from cells import admission_views, meeting_views, watch_views

urlpatterns = [
    path("sinh-hoat/", meeting_views.MeetingListView.as_view(), name="meeting_list"),
    path("sinh-hoat/ghi/", meeting_views.MeetingEditView.as_view(), name="meeting_create"),
    path("sinh-hoat/<int:meeting_id>/", meeting_views.MeetingDetailView.as_view(), name="meeting_detail"),
    path("sinh-hoat/<int:meeting_id>/sua/", meeting_views.MeetingEditView.as_view(), name="meeting_update"),
    path("sinh-hoat/<int:meeting_id>/bien-ban/", meeting_views.MeetingScanView.as_view(), name="meeting_scan"),
    path(
        "sinh-hoat/tong-hop/<str:org_code>/<int:year>/",
        meeting_views.ComplianceView.as_view(),
        name="meeting_compliance",
    ),
    path(
        "phat-trien-dang/<str:org_code>/<int:year>/",
        admission_views.AdmissionOverviewView.as_view(),
        name="admission_overview",
    ),
    path(
        "phat-trien-dang/<str:org_code>/<int:year>/chi-tieu/",
        admission_views.QuotaEditView.as_view(),
        name="admission_quotas",
    ),
    path("ket-nap/ghi/", admission_views.AdmissionEditView.as_view(), name="admission_create"),
    path("ket-nap/<int:admission_id>/sua/", admission_views.AdmissionEditView.as_view(), name="admission_update"),
    path("theo-doi/<int:year>/", watch_views.WatchListView.as_view(), name="watch_list"),
]
