"""Site-wide roles: organisers and moderators, held directly or through a group, answered in one
query per request."""

from django.contrib.auth.models import Group, Permission

from meetup.accounts.roles import can_moderate, is_organiser
from meetup.accounts.services import organiser_grant
from tests.factories import UserFactory


def _fresh(user):
    return type(user).objects.get(pk=user.pk)  # a new request's user: nothing kept from before


def test_roles_come_from_groups_and_direct_permissions_in_one_query(db, django_assert_num_queries):
    organiser, moderator, direct, nobody = UserFactory.create_batch(4)
    organiser_grant(user=organiser)
    group, _ = Group.objects.get_or_create(name="Moderators")
    group.permissions.add(Permission.objects.get(codename="moderate", content_type__app_label="accounts"))
    moderator.groups.add(group)
    direct.user_permissions.add(Permission.objects.get(codename="organise", content_type__app_label="accounts"))
    organiser, moderator, direct, nobody = map(_fresh, (organiser, moderator, direct, nobody))

    with django_assert_num_queries(1):
        assert is_organiser(organiser) and can_moderate(organiser)
    assert not is_organiser(moderator) and can_moderate(moderator)
    assert is_organiser(direct) and can_moderate(direct)
    assert not is_organiser(nobody) and not can_moderate(nobody)


def test_superusers_and_staff_and_inactive_people(db, django_assert_num_queries):
    root = UserFactory(is_superuser=True)
    staff = UserFactory(is_staff=True)
    gone = UserFactory(is_active=False)
    organiser_grant(user=gone)

    with django_assert_num_queries(0):
        assert is_organiser(root) and can_moderate(root)
    assert can_moderate(staff) and not is_organiser(staff)
    assert not is_organiser(_fresh(gone)) and not can_moderate(_fresh(gone))
