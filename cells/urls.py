from django.urls import path

from cells.views import admissions, meetings, notifications, organizations, report_runs, runs, watch

app_name = "cells"

urlpatterns = [
    # The organization tree (the home page, at "/", is in `plans`: it reads every app)
    path("to-chuc/", organizations.TreeView.as_view(), name="tree"),
    path("tim-kiem/", organizations.SearchView.as_view(), name="search"),
    path("nhap-to-chuc/", organizations.OrganizationImportView.as_view(), name="import"),
    path("nhap-to-chuc/lan/<id:run_id>/", organizations.OrganizationImportRunView.as_view(), name="import_run"),
    path("tien-trinh/<id:run_id>/", runs.RunStatusView.as_view(), name="run_status"),
    # Reports and exports written in the background: the run's page, then its file
    path("tep-xuat/<id:report_run_id>/", report_runs.ReportRunView.as_view(), name="report_run"),
    path("tep-xuat/<id:report_run_id>/tai-ve/", report_runs.ReportDownloadView.as_view(), name="report_download"),
    path("to-chuc/<code:org_code>/", organizations.OrganizationDetailView.as_view(), name="detail"),
    path("to-chuc/<code:org_code>/nhanh/", organizations.ChildrenView.as_view(), name="children"),
    # Cell meetings
    path("sinh-hoat/", meetings.MeetingListView.as_view(), name="meeting_list"),
    path("sinh-hoat/nhap-tep/", meetings.MeetingImportView.as_view(), name="meeting_import"),
    path("sinh-hoat/nhap-tep/lan/<id:run_id>/", meetings.MeetingImportRunView.as_view(), name="meeting_import_run"),
    path("sinh-hoat/ghi/", meetings.MeetingEditView.as_view(), name="meeting_create"),
    path("sinh-hoat/<id:meeting_id>/", meetings.MeetingDetailView.as_view(), name="meeting_detail"),
    path("sinh-hoat/<id:meeting_id>/sua/", meetings.MeetingEditView.as_view(), name="meeting_update"),
    path("sinh-hoat/<id:meeting_id>/bien-ban/", meetings.MeetingScanView.as_view(), name="meeting_scan"),
    path(
        "sinh-hoat/tong-hop/<code:org_code>/<year:year>/",
        meetings.ComplianceView.as_view(),
        name="meeting_compliance",
    ),
    # Party development
    path(
        "phat-trien-dang/<code:org_code>/<year:year>/",
        admissions.AdmissionOverviewView.as_view(),
        name="admission_overview",
    ),
    path(
        "phat-trien-dang/<code:org_code>/<year:year>/chi-tieu/",
        admissions.QuotaEditView.as_view(),
        name="admission_quotas",
    ),
    path("ket-nap/ghi/", admissions.AdmissionEditView.as_view(), name="admission_create"),
    path("ket-nap/<id:admission_id>/sua/", admissions.AdmissionEditView.as_view(), name="admission_update"),
    # The user's own notifications
    path("thong-bao/", notifications.NotificationListView.as_view(), name="notifications"),
    # Units rated well that still carry warning signals
    path("theo-doi/<year:year>/", watch.WatchListView.as_view(), name="watch_list"),
]
