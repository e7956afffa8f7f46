"""The tree API: subtrees, life spans on their boundary days, and moves that keep the tree a tree."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cells.models import Meeting, Organization
from tests.conftest import make_org

Kind = Organization.Kind


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_within_is_the_subtree_with_the_unit_itself(tree):
    assert codes(Organization.objects.within(tree.a)) == ["D-A", "D-A-1", "D-A-2"]
    assert codes(Organization.objects.below(tree.a)) == ["D-A-1", "D-A-2"]
    assert "X-Y" not in codes(Organization.objects.within(tree.d))


def test_within_reaches_through_a_models_way_to_its_organization(tree):
    Meeting.objects.create(organization=tree.a1, date=datetime.date(2024, 1, 5), members_total=10, members_present=9)
    Meeting.objects.create(organization=tree.y1, date=datetime.date(2024, 1, 5), members_total=10, members_present=9)
    assert [m.organization.code for m in Meeting.objects.within(tree.d)] == ["D-A-1"]
    assert [m.organization.code for m in Meeting.objects.within(tree.x)] == ["X-Y-1"]


def test_grassroots_and_cells(tree):
    assert codes(Organization.objects.within(tree.d).grassroots()) == ["D-A", "D-B"]
    assert codes(Organization.objects.within(tree.a).cells()) == ["D-A-1", "D-A-2"]


def test_active_in_on_the_boundary_days(tree):
    """Dissolved on 31/12/2019 (Trùng Quán): counted in 2019, not in 2020. Founded 1/1/2020: the reverse."""
    old = make_org(
        "TQ", "Đảng bộ xã Trùng Quán", Kind.GRASSROOTS_COMMITTEE, tree.d, dissolved=datetime.date(2019, 12, 31)
    )
    new = make_org("BH", "Đảng bộ xã Bắc Hùng", Kind.GRASSROOTS_COMMITTEE, tree.d, founded=datetime.date(2020, 1, 1))
    in_2019 = codes(Organization.objects.within(tree.d).grassroots().active_in(2019))
    in_2020 = codes(Organization.objects.within(tree.d).grassroots().active_in(2020))
    assert "TQ" in in_2019 and "BH" not in in_2019
    assert "BH" in in_2020 and "TQ" not in in_2020
    assert codes(Organization.objects.filter(pk=old.pk).active_on(datetime.date(2019, 12, 31))) == ["TQ"]
    assert codes(Organization.objects.filter(pk=old.pk).active_on(datetime.date(2020, 1, 1))) == []
    assert codes(Organization.objects.filter(pk=new.pk).active_on(datetime.date(2019, 12, 31))) == []
    assert codes(Organization.objects.filter(pk=new.pk).active_on(datetime.date(2020, 1, 1))) == ["BH"]
    # The instance predicates agree with the queries.
    assert old.active_in(2019) and not old.active_in(2020)
    assert old.active_on(datetime.date(2019, 12, 31)) and not old.active_on(datetime.date(2020, 1, 1))
    assert new.active_in(2020) and not new.active_in(2019)


def test_active_in_reaches_through_a_models_organization(tree):
    tree.a1.dissolved = datetime.date(2019, 6, 30)
    tree.a1.save()
    Meeting.objects.create(organization=tree.a1, date=datetime.date(2019, 1, 5), members_total=10, members_present=9)
    Meeting.objects.create(organization=tree.a2, date=datetime.date(2019, 1, 5), members_total=10, members_present=9)
    assert [m.organization.code for m in Meeting.objects.within(tree.a).active_in(2020)] == ["D-A-2"]
    assert len(Meeting.objects.within(tree.a).active_in(2019)) == 2


def test_move_rewrites_the_whole_subtree_in_one_statement(tree, django_assert_num_queries):
    # Read the parent as stored (1), the audit log reads the unit as stored (2) and writes its entry (3)
    # with its organization (4), save the unit with its new path (5), rewrite the paths of the subtree (6).
    with django_assert_num_queries(6):
        tree.a.move(tree.x)
    for organization in Organization.objects.within(tree.x):
        assert organization.path == organization.expected_path(), organization.code
    assert codes(Organization.objects.within(tree.x)) == ["D-A", "D-A-1", "D-A-2", "X", "X-Y", "X-Y-1"]
    assert codes(Organization.objects.within(tree.d)) == ["D", "D-B", "D-B-1"]
    a1 = Organization.objects.get(code="D-A-1")
    assert a1.depth == 3 and a1.ancestor_ids() == [tree.province.pk, tree.x.pk, tree.a.pk]


@pytest.mark.parametrize("how", ["save", "move", "full_clean"])
def test_a_unit_cannot_be_put_under_its_own_child(tree, how):
    commune = Organization.objects.get(pk=tree.a.pk)
    commune.parent = Organization.objects.get(pk=tree.a1.pk)
    with pytest.raises(ValidationError) as refused:
        if how == "save":
            commune.save()
        elif how == "move":
            commune.move(commune.parent)
        else:
            commune.full_clean()
    assert "parent" in refused.value.message_dict
    assert "under itself" in refused.value.message_dict["parent"][0]
    assert Organization.objects.get(pk=tree.a.pk).path == tree.a.path


def test_a_unit_cannot_be_its_own_parent(tree):
    district = Organization.objects.get(pk=tree.d.pk)
    district.parent = district
    with pytest.raises(ValidationError):
        district.save()


def test_the_loop_check_reads_the_parent_as_stored(tree):
    """A parent instance loaded before a move still cannot sneak a loop in."""
    stale_child = Organization.objects.get(pk=tree.a1.pk)
    tree.a1.move(tree.b)  # a1 now sits under b
    commune_b = Organization.objects.get(pk=tree.b.pk)
    commune_b.parent = stale_child  # the stale instance still says a1 is under a
    with pytest.raises(ValidationError):
        commune_b.save()
