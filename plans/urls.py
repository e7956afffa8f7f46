from django.urls import path

from plans import views_candidates

app_name = "plans"

urlpatterns = [
    # --- candidates (issue 3) ---
    path("ung-vien/", views_candidates.CandidateIndexView.as_view(), name="candidates"),
    path("ung-vien/<int:year>/", views_candidates.CandidateListView.as_view(), name="candidates_year"),
    path("ung-vien/<int:year>/excel/", views_candidates.CandidateExportView.as_view(), name="candidates_export"),
    path("ung-vien/<int:year>/chay/", views_candidates.CandidateRunView.as_view(), name="candidates_run"),
    path(
        "ung-vien/lan-chay/<int:run_id>/",
        views_candidates.CandidateRunStatusView.as_view(),
        name="candidates_run_status",
    ),
    path("ung-vien/lich-chay/", views_candidates.CandidateScheduleView.as_view(), name="candidates_schedule"),
    # --- end of candidates ---
]
