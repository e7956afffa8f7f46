from cells.access import ROLE_PERMISSIONS, role_of


def scope(request):
    """The user's role and scope, for the navigation bar."""
    role = role_of(getattr(request, "user", None))
    return {
        "user_role": role,
        "user_perms": ROLE_PERMISSIONS.get(role.role, set()) if role else set(),
        # Counted by the role's own query (`role_of`): the bell costs no query of its own.
        "unread_notifications": role.unread_notifications if role else 0,
    }
