"""The people who run an event: co-organisers and door staff, invited by email.

Invariant kept here: nobody is put on a team without accepting; every change of role is in the
audit log. The invitation email goes through the broadcast outbox (signals.invitation_created).
"""

import secrets
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from meetup.accounts.services import organiser_grant
from meetup.audit.models import AuditEntry
from meetup.audit.services import audit_record
from meetup.events import signals
from meetup.events.models import Event, Invitation
from meetup.lib.errors import Refused

INVITATION_DAYS = 7


def invitation_create(*, event: Event, email: str, role: str, invited_by) -> Invitation:
    """Invite someone by email; the link works for that address for a week."""
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": [_("Enter a valid email address.")]}) from None
    if role not in Invitation.Role.values:
        raise ValidationError({"role": [_("Choose co-organiser or door staff.")]})
    if event.organisers.filter(email__iexact=email).exists():
        raise Refused("already_organiser", _("%(email)s already organises this event.") % {"email": email})
    with transaction.atomic():
        invitation = Invitation.objects.create(
            event=event, email=email, role=role, token=secrets.token_urlsafe(32), invited_by=invited_by,
            expires_at=timezone.now() + timedelta(days=INVITATION_DAYS))
        audit_record(actor=invited_by, action=AuditEntry.Action.ROLE, event=event, invitation=invitation.pk,
                     summary=f"Invited {email} as {invitation.get_role_display().lower()}")
        signals.invitation_created.send(sender=Invitation, invitation=invitation)
    return invitation


def invitation_accept(*, token: str, user) -> Invitation:
    """Accept an invitation as `user`, whose verified email must be the invited one."""

    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().select_related("event").filter(token=token).first()
        if invitation is None:
            raise Refused("not_found", _("This invitation does not exist."), status=404)
        state = invitation.state(timezone.now())
        if state != "pending":
            raise Refused(f"invitation_{state}", _("This invitation has been %(state)s; ask for a new one.") % {
                "state": state})
        if not EmailAddress.objects.filter(user=user, email__iexact=invitation.email, verified=True).exists():
            raise Refused("wrong_account", _("This invitation is for %(email)s; sign in with that address.") % {
                "email": invitation.email},
                          status=403)
        event = invitation.event
        if invitation.role == Invitation.Role.ORGANISER:
            event.organisers.add(user)
            organiser_grant(user=user)
        else:
            event.door_staff.add(user)
        invitation.accepted_by, invitation.accepted_at = user, timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at"])
        audit_record(actor=user, action=AuditEntry.Action.ROLE, event=event, invitation=invitation.pk,
                     summary=f"{user.public_name} joined as {invitation.get_role_display().lower()}")
    return invitation


def invitation_revoke(*, invitation: Invitation, actor) -> bool:
    with transaction.atomic():
        revoked = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=timezone.now())
        if revoked:
            audit_record(actor=actor, action=AuditEntry.Action.ROLE, event=invitation.event,
                         invitation=invitation.pk, summary=f"Revoked the invitation to {invitation.email}")
    return bool(revoked)


def team_remove(*, event: Event, user, role: str, actor) -> None:
    """Take a co-organiser or door staff member off the event; the last organiser stays."""
    with transaction.atomic():
        if role == Invitation.Role.ORGANISER:
            if event.organisers.count() <= 1:
                raise Refused("last_organiser", _("An event needs at least one organiser."))
            event.organisers.remove(user)
        else:
            event.door_staff.remove(user)
        audit_record(actor=actor, action=AuditEntry.Action.ROLE, event=event, user=user.pk,
                     summary=f"Removed {user.public_name} as {Invitation.Role(role).label.lower()}")
