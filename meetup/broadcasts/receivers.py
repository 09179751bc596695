"""What other apps and providers tell the broadcasts app, turned into outbox rows or delivery
updates: the accounts app's signals (account deletion codes), the events app's signals (venue
moves, team invitations, forecast alerts, declined registrations, waitlist offers and their expiry,
"still coming?" questions) and email providers' tracking events (through django-anymail's webhooks)."""

from anymail.signals import tracking
from django.dispatch import receiver

from meetup.accounts import privacy
from meetup.accounts.models import ConsentRecord, User
from meetup.broadcasts import services
from meetup.broadcasts.models import Broadcast, Delivery
from meetup.events import signals as events_signals
from meetup.events.models import Offer, Reconfirmation


@receiver(events_signals.venue_moved, dispatch_uid="broadcasts.venue_moved")
def venue_moved(sender, event, old_venue_name, actor=None, **kwargs):
    services.venue_change_send(event=event, old_venue_name=old_venue_name, created_by=actor)


@receiver(events_signals.invitation_created, dispatch_uid="broadcasts.invitation_created")
def invitation_created(sender, invitation, **kwargs):
    services.automatic_send(kind=Broadcast.Kind.TEAM, event=invitation.event, messages=[
        (None, f"invitation:{invitation.pk}", "team-invitation", invitation.email)])


@receiver(events_signals.forecast_alerted, dispatch_uid="broadcasts.forecast_alerted")
def forecast_alerted(sender, event, threshold, **kwargs):
    services.automatic_send(kind=Broadcast.Kind.FORECAST, event=event, messages=[
        (organiser_id, f"forecast:{threshold}", "forecast-alert")
        for organiser_id in event.organisers.exclude(email="").values_list("pk", flat=True)])


@receiver(privacy.deletion_code_requested, dispatch_uid="broadcasts.deletion_code_requested")
def deletion_code_requested(sender, code, **kwargs):
    services.automatic_send(kind=Broadcast.Kind.ACCOUNT, messages=[
        (code.user_id, f"deletion-code:{code.pk}", "account-deletion-code")])


@receiver(events_signals.rsvp_decided, dispatch_uid="broadcasts.rsvp_decided")
def rsvp_decided(sender, rsvp, decision, **kwargs):
    # Approvals are told by the ticket or waitlist email the RSVP is then owed (rsvp_messages_plan).
    if decision == "declined":
        services.automatic_send(kind=Broadcast.Kind.RSVP, event=rsvp.event, messages=[
            (rsvp.user_id, f"declined:{rsvp.pk}:{rsvp.decided_at:%Y%m%d%H%M%S%f}", "declined")])


@receiver(events_signals.offers_made, dispatch_uid="broadcasts.offers_made")
def offers_made(sender, event, offer_ids, **kwargs):
    rows = Offer.objects.filter(pk__in=offer_ids).values_list("pk", "rsvp__user_id")
    services.asks_send(kind=Broadcast.Kind.OFFER, event=event, template="waitlist-offer",
                       messages=[(user_id, f"offer:{pk}") for pk, user_id in rows])


@receiver(events_signals.offers_expired, dispatch_uid="broadcasts.offers_expired")
def offers_expired(sender, event, offer_ids, **kwargs):
    rows = Offer.objects.filter(pk__in=offer_ids).values_list("pk", "rsvp__user_id")
    services.automatic_send(kind=Broadcast.Kind.RSVP, event=event, messages=[
        (user_id, f"offer-expired:{pk}", "offer-expired") for pk, user_id in rows])


@receiver(events_signals.reconfirmations_asked, dispatch_uid="broadcasts.reconfirmations_asked")
def reconfirmations_asked(sender, event, reconfirmation_ids, **kwargs):
    rows = Reconfirmation.objects.filter(pk__in=reconfirmation_ids).values_list("pk", "rsvp__user_id")
    services.asks_send(kind=Broadcast.Kind.RECONFIRM, event=event, template="reconfirmation",
                       messages=[(user_id, f"reconfirm:{pk}") for pk, user_id in rows])


@receiver(tracking, dispatch_uid="broadcasts.email_tracking")
def email_tracking(sender, event, esp_name, **kwargs):
    if event.event_type == "delivered":
        services.delivery_report(channel=Delivery.Channel.EMAIL, provider_id=event.message_id or "",
                                 provider_status=Delivery.Status.DELIVERED)
    elif event.event_type in {"bounced", "rejected"}:
        # Anymail reports soft bounces as "deferred"; "bounced" is a hard bounce.
        reason = event.description or event.mta_response or event.reject_reason or event.event_type
        services.delivery_report(channel=Delivery.Channel.EMAIL, provider_id=event.message_id or "",
                                 provider_status=Delivery.Status.FAILED, error=f"{esp_name}: {reason}")
        if event.recipient:
            services.email_undeliverable_mark(address=event.recipient)
    elif event.event_type in {"complained", "unsubscribed"} and event.recipient:
        for user in User.objects.filter(email__iexact=event.recipient):
            services.email_unsubscribe(user=user, source=ConsentRecord.Source.PROVIDER,
                                       wording=f"{esp_name} reported: {event.event_type}")
