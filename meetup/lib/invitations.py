"""What invitations to a team share (an application's in program, a project's in showcase): the
person invited, who invited them, a status they alone move from pending, and the row lock their
answer takes. Nobody is on a team until they accept (invariant 11)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from meetup.lib.errors import Refused


class PersonInvitation(models.Model):
    """Abstract: a concrete invitation adds what it invites to, and `user` with its related name."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        REVOKED = "revoked", _("Revoked")

    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


def pending_for(invitations, *, pk: int, user):
    """The invitation `pk` of `user`, locked for their answer (call inside a transaction). Refused
    when it is not theirs (404) or already answered, revoked or accepted."""
    locked = invitations.select_for_update(of=("self",)).filter(pk=pk, user=user).first()
    if locked is None:
        raise Refused("not_found", gettext("No such invitation."), status=404)
    if locked.status != PersonInvitation.Status.PENDING:
        raise Refused(f"invitation_{locked.status}", gettext("This invitation is %(value)s.") % {
            "value": locked.get_status_display().lower()})
    return locked
