"""The one place where access is decided.

Every view of the project goes through `ScopedMixin`: it needs a logged-in user with a role,
checks the view's `permission` against that role, and gives the view `self.scope`, the
organization whose subtree the user works in. Objects are read only through `self.scoped()`
and `self.get_scoped_or_404()`, so anything outside the subtree is never listed and answers
404 when addressed directly.
"""

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404

from cells.models import Notification, Organization, UserRole
from cells.params import parse_code

Role = UserRole.Role


class Perm:
    """What a view needs. Views name one; roles grant a set."""

    VIEW = "view"
    MANAGE_ORGANIZATIONS = "manage_organizations"
    IMPORT_FILES = "import_files"  # the web imports of classifications and meetings (staff)
    ENTER_CLASSIFICATIONS = "enter_classifications"
    RUN_JOBS = "run_jobs"
    DECIDE_CANDIDATES = "decide_candidates"
    MANAGE_PLANS = "manage_plans"
    ADOPT_PLANS = "adopt_plans"
    REPORT_TASKS = "report_tasks"
    ENTER_MEETINGS = "enter_meetings"
    ENTER_ADMISSIONS = "enter_admissions"
    VIEW_PERSONAL_DATA = "view_personal_data"


ROLE_PERMISSIONS = {
    Role.STAFF: {
        Perm.VIEW,
        Perm.MANAGE_ORGANIZATIONS,
        Perm.IMPORT_FILES,
        Perm.ENTER_CLASSIFICATIONS,
        Perm.RUN_JOBS,
        Perm.DECIDE_CANDIDATES,
        Perm.MANAGE_PLANS,
        Perm.ADOPT_PLANS,
        Perm.REPORT_TASKS,
        Perm.ENTER_MEETINGS,
        Perm.ENTER_ADMISSIONS,
        Perm.VIEW_PERSONAL_DATA,
    },
    Role.STANDING: {Perm.VIEW, Perm.DECIDE_CANDIDATES, Perm.ADOPT_PLANS, Perm.REPORT_TASKS},
    # ENTER_CLASSIFICATIONS: a grassroots committee classifies its own cells (issue 3).
    Role.SECRETARY: {
        Perm.VIEW,
        Perm.ENTER_MEETINGS,
        Perm.ENTER_ADMISSIONS,
        Perm.VIEW_PERSONAL_DATA,
        Perm.ENTER_CLASSIFICATIONS,
    },
    Role.AUDITOR: {Perm.VIEW},
}


def role_of(user) -> UserRole | None:
    """The user's role with its organization, read once per request object.

    The same query counts the user's unread notifications (`unread_notifications`), so the
    bell in the navigation bar costs no query of its own.
    """
    if not getattr(user, "is_authenticated", False):
        return None
    if not hasattr(user, "_vanlang_role_cache"):
        unread = (
            Notification.objects.filter(user=OuterRef("user"), read_at__isnull=True)
            .order_by()
            .values("user")
            .annotate(n=Count("pk"))
            .values("n")
        )
        user._vanlang_role_cache = (
            UserRole.objects.select_related("organization")
            .annotate(unread_notifications=Coalesce(Subquery(unread), 0))
            .filter(user=user)
            .first()
        )
    return user._vanlang_role_cache


def has_perm(user, permission: str) -> bool:
    role = role_of(user)
    return role is not None and permission in ROLE_PERMISSIONS.get(role.role, set())


def may_classify_for(role: UserRole, organization: Organization) -> bool:
    """Whether `role` enters the year's results decided by `organization`.

    Staff enter for any committee of their subtree; a secretary only for a grassroots committee,
    which classifies its own cells (DOMAIN: "the committee classifies its cells").
    """
    if Perm.ENTER_CLASSIFICATIONS not in ROLE_PERMISSIONS.get(role.role, set()):
        return False
    return role.role != Role.SECRETARY or organization.is_grassroots


def scope_of(user) -> Organization | None:
    role = role_of(user)
    return role.organization if role else None


def scope_filter(queryset: QuerySet, scope: Organization) -> QuerySet:
    """Keep the rows whose organization lies in `scope`'s subtree (the model's tree API knows the way)."""
    return queryset.within(scope)


def organizations_visible_to(user) -> QuerySet:
    scope = scope_of(user)
    if scope is None:
        return Organization.objects.none()
    return scope_filter(Organization.objects.all(), scope)


def refused_access_record(*, request, queryset: QuerySet, lookup: dict) -> None:
    """Security log: this user asked for an object outside their scope (or one that does not exist)."""
    from cells.models import SecurityEvent
    from cells.security.events import security_event_record

    exists = queryset.filter(**lookup).exists()
    asked = ", ".join(f"{key}={value}" for key, value in lookup.items())
    where = "in another unit" if exists else "not found"
    detail = f"{queryset.model._meta.model_name} {asked}: {where}"
    security_event_record(kind=SecurityEvent.Kind.REFUSED, request=request, detail=detail)


class ScopedMixin(AccessMixin):
    """Log-in, role, permission and scope for a view. Set `permission` on the view class."""

    permission = Perm.VIEW

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        role = role_of(request.user)
        if role is None or self.permission not in ROLE_PERMISSIONS.get(role.role, set()):
            raise PermissionDenied
        self.role = role
        self.scope = role.organization
        return super().dispatch(request, *args, **kwargs)

    def scoped(self, queryset: QuerySet) -> QuerySet:
        return scope_filter(queryset, self.scope)

    def get_scoped_or_404(self, queryset: QuerySet, **lookup):
        try:
            return get_object_or_404(self.scoped(queryset), **lookup)
        except Http404:
            refused_access_record(request=self.request, queryset=queryset, lookup=lookup)
            raise

    def get_organization(self, code: str) -> Organization:
        if parse_code(code) is None:  # a NUL or a control character: no organization has it
            raise Http404
        return self.get_scoped_or_404(Organization.objects.all(), code=code)


# ---------------------------------------------------------------- the admin site (auditors)


def admin_scope_way(model) -> str | None:
    """How the admin places `model`'s rows in the tree; None: it cannot, and only superusers see it."""
    from auditlog.models import LogEntry
    from django.contrib.auth import get_user_model

    from cells.models.tree import TreeQuerySet

    if issubclass(model, LogEntry):
        return "entries"
    if issubclass(model, get_user_model()):
        return "users"
    if isinstance(model._default_manager.all(), TreeQuerySet):
        return "tree"
    if any(field.name == "username" for field in model._meta.concrete_fields):
        return "username"  # sign-in records (django-axes): by the user name of the scope's users
    return None


def superusers_only() -> list:
    """The content types of the models the admin cannot place in the tree (groups and their permissions,
    celery-beat schedules): their pages and their change history are for superusers only."""
    from django.apps import apps
    from django.contrib.contenttypes.models import ContentType

    models = [model for model in apps.get_models() if admin_scope_way(model) is None]
    return list(ContentType.objects.get_for_models(*models, for_concrete_models=False).values())


def admin_scope_filter(queryset: QuerySet, user) -> QuerySet:
    """The rows of `queryset` the user reads in the admin: their scope's subtree, like everywhere else.

    What belongs to no unit (a job run over everything, a failed sign-in under nobody's name) is read
    by the auditors of a whole tree (a root). A superuser without a role reads everything; anyone else
    without a role, nothing.
    """
    from django.contrib.auth import get_user_model

    from cells.audit import entries_within

    scope = scope_of(user)
    if scope is None:
        return queryset if user.is_superuser else queryset.none()
    way = admin_scope_way(queryset.model)
    if way == "tree":
        scoped = scope_filter(queryset, scope)
        via = getattr(queryset.model, "tree_organization", "organization")
        if scope.parent_id is None and via and queryset.model._meta.get_field(via.split("__")[0]).null:
            scoped = scoped | queryset.filter(**{f"{via}__isnull": True})  # a run over everything, ...
        return scoped
    if way == "entries":
        if scope.parent_id is None:  # a root's auditor also reads what belongs to no unit (users, runs)
            unplaced = queryset.filter(vanlang_organization__isnull=True).exclude(content_type__in=superusers_only())
            return entries_within(queryset, scope) | unplaced
        return entries_within(queryset, scope)
    users = get_user_model().objects.filter(vanlang_role__in=scope_filter(UserRole.objects.all(), scope))
    if way == "users":
        return queryset.filter(pk__in=users.values("pk"))
    if way == "username":
        return queryset.filter(username__in=users.values("username"))
    return queryset.none()


class ScopedAdminMixin:
    """Every admin page reads through the user's scope: outside it nothing is listed and an address is 404.

    Models that cannot be placed in the tree (groups, schedules) are shown to superusers only.
    """

    def get_queryset(self, request):
        return admin_scope_filter(super().get_queryset(request), request.user)

    def has_view_permission(self, request, obj=None):
        allowed = super().has_view_permission(request, obj)
        return allowed and (request.user.is_superuser or admin_scope_way(self.model) is not None)

    def has_module_permission(self, request):
        return super().has_module_permission(request) and (
            request.user.is_superuser or admin_scope_way(self.model) is not None
        )

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        # Django redirects to the index with "does not exist"; outside the scope is simply not found.
        raise Http404
