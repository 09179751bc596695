"""Email providers' tracking events (through django-anymail's webhooks) update deliveries."""

from anymail.signals import tracking
from django.dispatch import receiver

from meetup.accounts.models import ConsentRecord, User
from meetup.broadcasts import services
from meetup.broadcasts.models import Delivery


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
