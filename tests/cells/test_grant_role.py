"""`manage.py grant_role USERNAME ROLE ORG_CODE [--password PASSWORD]`."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from cells.auditors import AUDITORS_GROUP
from cells.models import UserRole

User = get_user_model()


def grant(*args):
    call_command("grant_role", *args)
    return User.objects.get(username=args[0])


def test_creates_a_user_with_role_and_scope(tree):
    user = grant("hanh", "staff", "D", "--password", "Mật-khẩu-dài-2018")
    assert user.vanlang_role.role == "staff" and user.vanlang_role.organization == tree.d
    assert user.check_password("Mật-khẩu-dài-2018")
    assert not user.is_staff and not user.groups.exists()


def test_new_user_without_password_cannot_log_in_until_one_is_set(tree):
    assert not grant("tu", "secretary", "D-A").has_usable_password()


def test_updates_role_and_scope_and_keeps_the_password(tree):
    grant("ngoc", "secretary", "D-A", "--password", "Mật-khẩu-dài-2018")
    user = grant("ngoc", "standing", "D")
    assert UserRole.objects.filter(user=user).count() == 1
    assert (user.vanlang_role.role, user.vanlang_role.organization) == ("standing", tree.d)
    assert user.check_password("Mật-khẩu-dài-2018")


def test_auditor_gets_the_admin_read_only_and_loses_it_with_another_role(tree):
    user = grant("thu", "auditor", "D")
    assert user.is_staff and not user.is_superuser
    assert list(user.groups.values_list("name", flat=True)) == [AUDITORS_GROUP]
    permissions = user.get_all_permissions()
    assert "cells.view_organization" in permissions and "auditlog.view_logentry" in permissions
    assert not [p for p in permissions if not p.split(".")[1].startswith("view_")]
    user = grant("thu", "staff", "D")
    assert not user.is_staff and not user.groups.exists()


def test_unknown_role_is_an_error_and_changes_nothing(tree):
    with pytest.raises(CommandError, match="boss"):
        call_command("grant_role", "lam", "boss", "D")
    assert not User.objects.filter(username="lam").exists()


def test_unknown_organization_is_an_error_and_changes_nothing(tree):
    with pytest.raises(CommandError, match="NOWHERE"):
        call_command("grant_role", "lam", "staff", "NOWHERE")
    assert not User.objects.filter(username="lam").exists()


def test_exit_status_is_one_from_the_command_line(tree, capsys):
    # Called the way a shell calls it, a CommandError ends the process with status 1.
    from django.core.management import ManagementUtility

    with pytest.raises(SystemExit) as exit_info:
        ManagementUtility(["manage.py", "grant_role", "lam", "boss", "D"]).execute()
    assert exit_info.value.code == 1
    assert "boss" in capsys.readouterr().err


def test_migrate_gives_auditors_the_view_permissions_of_new_models(tree):
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType

    grant("thu", "auditor", "D")
    # A model added by a later migration brings its permissions; the group must follow.
    content_type = ContentType.objects.get_for_model(UserRole)
    newcomer = Permission.objects.create(codename="view_newthing", name="Can view new thing", content_type=content_type)
    assert newcomer not in Group.objects.get(name=AUDITORS_GROUP).permissions.all()
    call_command("migrate", verbosity=0)
    assert newcomer in Group.objects.get(name=AUDITORS_GROUP).permissions.all()
