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


def audit_without_reverse_relations():
    """Keep reverse relations ("children", "user_roles", every app's foreign key to an
    organization) and derived fields out of the change history.

    django-auditlog lists them as fields, so every creation and deletion would show lines like
    "Children: None → cells.Organization.None", one more for each app that points at a model.
    They change nothing on the object itself: the other side's own history records the link.
    """
    from auditlog.registry import auditlog

    from cells.models import Organization

    # Derived from other fields and rewritten with UPDATE (no signal): in the history they would
    # only be stale. The parent and the name, which they follow, are recorded.
    derived = {Organization: ["path", "depth", "name_folded"]}
    # The registry has no public way to amend a model's options: extend its own list in place.
    for model, options in auditlog._registry.items():
        reverse = [f.name for f in model._meta.get_fields() if f.auto_created and not f.concrete]
        for name in reverse + derived.get(model, []):
            if name not in options["exclude_fields"]:
                options["exclude_fields"].append(name)
