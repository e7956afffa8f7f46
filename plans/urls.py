from django.urls import path

from plans.views import candidates as views_candidates
from plans.views import home as home_views
from plans.views import plans as plan_views
from plans.views import reports as report_views
from plans.views import tasks as task_views

app_name = "plans"

urlpatterns = [
    # The home page of each role, the first page after sign-in
    path("", home_views.HomeView.as_view(), name="home"),
    # --- candidates (issue 3) ---
    path("ung-vien/", views_candidates.CandidateIndexView.as_view(), name="candidates"),
    path("ung-vien/<year:year>/", views_candidates.CandidateListView.as_view(), name="candidates_year"),
    path("ung-vien/<year:year>/excel/", views_candidates.CandidateExportView.as_view(), name="candidates_export"),
    path("ung-vien/<year:year>/chay/", views_candidates.CandidateRunView.as_view(), name="candidates_run"),
    path(
        "ung-vien/lan-chay/<id:run_id>/",
        views_candidates.CandidateRunStatusView.as_view(),
        name="candidates_run_status",
    ),
    path("ung-vien/lich-chay/", views_candidates.CandidateScheduleView.as_view(), name="candidates_schedule"),
    # --- end of candidates ---
    # ---- Decisions, plans, tasks, reports and outcomes (issue 4) ----
    path(
        "cung-co/ung-vien/<id:candidate_id>/quyet-dinh/",
        plan_views.CandidateDecideView.as_view(),
        name="candidate_decide",
    ),
    path("cung-co/ung-vien/chon-them/", plan_views.ManualSelectionView.as_view(), name="candidate_select"),
    path("cung-co/ung-vien/<id:candidate_id>/lap-ke-hoach/", plan_views.PlanCreateView.as_view(), name="plan_create"),
    path("cung-co/ke-hoach/<id:plan_id>/", plan_views.PlanDetailView.as_view(), name="detail"),
    path("cung-co/ke-hoach/<id:plan_id>/sua/", plan_views.PlanEditView.as_view(), name="plan_edit"),
    path("cung-co/ke-hoach/<id:plan_id>/trang-thai/", plan_views.PlanTransitionView.as_view(), name="plan_transition"),
    path("cung-co/ke-hoach/<id:plan_id>/ban-in.pdf", plan_views.PlanPdfView.as_view(), name="plan_pdf"),
    path("cung-co/ke-hoach/<id:plan_id>/them-nhiem-vu/", task_views.TaskCreateView.as_view(), name="task_create"),
    path("cung-co/nhiem-vu/<id:task_id>/", task_views.TaskDetailView.as_view(), name="task_detail"),
    path("cung-co/nhiem-vu/<id:task_id>/sua/", task_views.TaskEditView.as_view(), name="task_edit"),
    path("cung-co/nhiem-vu/<id:task_id>/bao-cao/", task_views.TaskReportView.as_view(), name="task_report"),
    path("cung-co/bao-cao/<id:report_id>/tep/", task_views.ReportAttachmentView.as_view(), name="report_attachment"),
    path("cung-co/nhiem-vu-cua-toi/", task_views.MyTasksView.as_view(), name="my_tasks"),
    path("cung-co/tong-hop/", plan_views.ConsolidationView.as_view(), name="consolidation"),
    # ---- end of issue 4 ----
    # ---- reports (issue 12) ----
    path("bao-cao/", report_views.ReportIndexView.as_view(), name="reports"),
    path("bao-cao/<code:org_code>/<year:year>/", report_views.ReportListView.as_view(), name="report_list"),
    path("bao-cao/<code:org_code>/<year:year>/<slug:kind>/", report_views.ReportView.as_view(), name="report"),
    # ---- end of reports ----
]
