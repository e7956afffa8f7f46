"""Views of tasks, progress reports and "my tasks".

Every view goes through `ScopedMixin`; objects are read only through `get_scoped_or_404`.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from cells.access import Perm, ScopedMixin
from cells.models import UserRole
from cells.once import SubmitOnceMixin
from plans.forms.plans import ProgressReportForm, TaskForm
from plans.models import ProgressReport, Task
from plans.queries.plans import mark_urgency, tasks_in_due_order
from plans.services import plans as services
from plans.views.plans import PlanMixin, closed_plan_redirect

Role = UserRole.Role


class TaskMixin(ScopedMixin):
    def get_task(self) -> Task:
        return self.get_scoped_or_404(
            Task.objects.select_related("plan__organization", "assignee"),
            pk=self.kwargs["task_id"],
        )


class TaskCreateView(PlanMixin, SubmitOnceMixin, TemplateView):
    permission = Perm.MANAGE_PLANS
    template_name = "plans/task_form.html"

    def get(self, request, *args, **kwargs):
        plan = self.get_plan()
        if refused := closed_plan_redirect(request, plan):
            return refused
        form = TaskForm(standing_members=services.standing_members_for(plan.organization, self.scope))
        return self.render_to_response(self.get_context_data(plan=plan, form=form))

    def post(self, request, *args, **kwargs):
        plan = self.get_plan()
        if refused := closed_plan_redirect(request, plan):
            return refused
        form = TaskForm(request.POST, standing_members=services.standing_members_for(plan.organization, self.scope))
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(plan=plan, form=form), status=400)
        try:
            services.task_create(plan=plan, values=form.values(), user=request.user)
        except services.TransitionError as error:
            form.add_error(None, str(error.args[0]))
            return self.render_to_response(self.get_context_data(plan=plan, form=form), status=400)
        messages.success(request, _("The task is added."))
        if "another" in request.POST:
            return redirect("plans:task_create", plan_id=plan.pk)
        return redirect("plans:detail", plan_id=plan.pk)


class TaskEditView(TaskMixin, TemplateView):
    permission = Perm.MANAGE_PLANS
    template_name = "plans/task_form.html"

    def get(self, request, *args, **kwargs):
        task = self.get_task()
        if refused := closed_plan_redirect(request, task.plan):
            return refused
        members = services.standing_members_for(task.plan.organization, self.scope)
        form = TaskForm(instance=task, standing_members=members)
        return self.render_to_response(self.get_context_data(plan=task.plan, task=task, form=form))

    def post(self, request, *args, **kwargs):
        task = self.get_task()
        if refused := closed_plan_redirect(request, task.plan):
            return refused
        members = services.standing_members_for(task.plan.organization, self.scope)
        form = TaskForm(request.POST, instance=task, standing_members=members)
        context = {"plan": task.plan, "task": task}
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form, **context), status=400)
        try:
            services.task_update(
                task=task, version=form.cleaned_data["version"] or 0, values=form.values(), user=request.user
            )
        except services.ConflictError as conflict:
            data = request.POST.copy()
            data["version"] = conflict.current.version
            form = TaskForm(data, instance=conflict.current, standing_members=members)
            form.is_valid()
            return self.render_to_response(self.get_context_data(form=form, conflict=conflict, **context), status=409)
        except services.PlanClosedError as error:  # closed meanwhile
            messages.error(request, str(error.args[0]))
            return redirect("plans:detail", plan_id=task.plan_id)
        messages.success(request, _("The task is saved."))
        return redirect("plans:task_detail", task_id=task.pk)


class TaskDetailView(TaskMixin, SubmitOnceMixin, TemplateView):
    """A task with its reports, and the report form for whoever may report on it (posted once: TaskReportView)."""

    permission = Perm.VIEW
    template_name = "plans/task_detail.html"

    def get_context_data(self, **kwargs):
        task = kwargs.pop("task", None) or self.get_task()
        mark_urgency([task], timezone.localdate())
        may_report = services.may_report(user=self.request.user, role=self.role, task=task) and task.plan.is_open
        return super().get_context_data(
            task=task,
            reports=task.reports.select_related("author"),
            may_report=may_report,
            report_form=kwargs.pop("report_form", None) or (self.report_form(task) if may_report else None),
            **kwargs,
        )

    def report_form(self, task) -> ProgressReportForm:
        # "Mark done" on the home page opens this form with the final-report box ticked.
        final = task.is_open and self.request.GET.get("hoan-thanh") == "1"
        return ProgressReportForm(initial={"done": final})


class TaskReportView(TaskDetailView):
    """A progress report: the assignee on their own task; staff on any task in their scope."""

    permission = Perm.REPORT_TASKS

    def get(self, request, *args, **kwargs):
        return redirect("plans:task_detail", task_id=self.get_task().pk)

    def post(self, request, *args, **kwargs):
        task = self.get_task()
        if not services.may_report(user=request.user, role=self.role, task=task):
            return render(request, "plans/task_refused.html", {"task": task}, status=403)
        if not task.plan.is_open:
            messages.error(request, _("This plan is closed; its tasks take no more reports."))
            return redirect("plans:task_detail", task_id=task.pk)
        form = ProgressReportForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(task=task, report_form=form), status=400)
        try:
            services.progress_report_add(
                task=task,
                user=request.user,
                role=self.role,
                reported_on=form.cleaned_data["reported_on"],
                text=form.cleaned_data["text"],
                attachment=form.cleaned_data.get("attachment"),
                final=form.cleaned_data["done"],
            )
        except services.PlanClosedError as error:  # closed meanwhile
            messages.error(request, str(error.args[0]))
            return redirect("plans:task_detail", task_id=task.pk)
        if form.cleaned_data["done"]:
            messages.success(request, _("Your final report is saved and the task is marked done."))
        else:
            messages.success(request, _("Your progress report is saved."))
        return redirect("plans:task_detail", task_id=task.pk)


class ReportAttachmentView(ScopedMixin, View):
    """An attachment, served only to users whose scope holds the report, never from a public URL."""

    permission = Perm.VIEW

    def get(self, request, *args, **kwargs):
        report = self.get_scoped_or_404(ProgressReport.objects.all(), pk=self.kwargs["report_id"])
        if not report.attachment:
            raise Http404
        response = FileResponse(
            report.attachment.open("rb"),
            as_attachment=True,
            filename=report.attachment_name or "tep-dinh-kem",
            content_type=report.attachment_type or "application/octet-stream",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response


class MyTasksView(ScopedMixin, TemplateView):
    """A standing member's own tasks; staff also see every open task of their scope. Both lists are
    paged by the database (a national staff member's scope holds tens of thousands of tasks)."""

    permission = Perm.REPORT_TASKS
    template_name = "plans/my_tasks.html"
    per_page = 50

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        mine = self.page_of(self.scoped(Task.objects.filter(assignee=self.request.user)), "page", today)
        others = None
        if self.role.role == Role.STAFF:
            open_tasks = self.scoped(Task.objects.filter(state__in=Task.OPEN_STATES))
            others = self.page_of(open_tasks.exclude(assignee=self.request.user), "khac", today)
        return super().get_context_data(
            mine=mine,
            others=others,
            today=today,
            # Each list's page links keep the other list's page.
            keep_mine=f"khac={others.number}" if others is not None else "",
            keep_others=f"page={mine.number}",
            **kwargs,
        )

    def page_of(self, tasks, param: str, today):
        """One page of tasks by due date, with their urgency: two queries (the count and the rows),
        the rows read even for an empty list, so that the count of queries never depends on the data."""
        ordered = tasks_in_due_order(tasks)
        page = Paginator(ordered, self.per_page).get_page(self.request.GET.get(param))
        start = (page.number - 1) * self.per_page
        page.object_list = mark_urgency(list(ordered[start : start + self.per_page]), today)
        return page
