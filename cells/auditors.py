from django.contrib.auth.models import Group, Permission

AUDITORS_GROUP = "Auditors"


def auditors_group() -> Group:
    """The group whose members read every model in the admin and change nothing.

    Its permissions are every `view_*` permission there is, refreshed each time it is asked
    for, so models added later are readable without a data migration.
    """
    group, _ = Group.objects.get_or_create(name=AUDITORS_GROUP)
    view_permissions = Permission.objects.filter(codename__startswith="view_")
    group.permissions.set(view_permissions)
    return group
