from django.contrib.auth import get_user_model
from django.db import transaction

from cells.auditors import auditors_group
from cells.models import Organization, UserRole


@transaction.atomic
def user_role_grant(*, username: str, role: str, organization: Organization, password: str | None = None):
    """Create or update a user and give it `role` over `organization`'s subtree.

    Auditors work in the admin site, read only: they get `is_staff` and the view permissions
    of the Auditors group, nothing that changes data.
    """
    if role not in UserRole.Role.values:
        raise ValueError(role)
    user, _created = get_user_model().objects.get_or_create(username=username)
    if password:
        user.set_password(password)
    elif _created:
        user.set_unusable_password()
    user.is_staff = role == UserRole.Role.AUDITOR
    user.save()
    group = auditors_group()
    # Touch the membership only when it changes: the audit log records every add and remove.
    in_group = user.groups.filter(pk=group.pk).exists()
    if role == UserRole.Role.AUDITOR and not in_group:
        user.groups.add(group)
    elif role != UserRole.Role.AUDITOR and in_group:
        user.groups.remove(group)
    UserRole.objects.update_or_create(user=user, defaults={"role": role, "organization": organization})
    return user
