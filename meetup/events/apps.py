from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "meetup.events"
    label = "events"
    verbose_name = "Events, RSVPs and venues"

    def ready(self):
        from django.db.models.signals import post_delete, post_save, pre_delete

        from meetup.accounts import personal_data
        from meetup.events import personal_data as events_data
        from meetup.events import readcache
        from meetup.events.models import Event, Venue

        # An edit to an event or its venue (pages, API, admin) shows at once in the cached reads.
        post_save.connect(readcache.event_changed, sender=Event, dispatch_uid="readcache_event")
        post_delete.connect(readcache.event_changed, sender=Event, dispatch_uid="readcache_event")
        post_save.connect(readcache.venue_changed, sender=Venue, dispatch_uid="readcache_venue")
        pre_delete.connect(readcache.venue_changed, sender=Venue, dispatch_uid="readcache_venue")  # before SET_NULL

        personal_data.register("rsvps", export=events_data.export_rsvps, erase=events_data.erase_events,
                               blocker=events_data.deletion_blocker, order=10)
        # Phones live on the account, but only the events app knows when a person's last event was.
        personal_data.register("phone_numbers", shred=events_data.shred_phones, order=10)
        personal_data.register("tickets", export=events_data.export_tickets, order=10)
        personal_data.register("answers", export=events_data.export_answers, erase=events_data.erase_answers,
                               shred=events_data.shred_answers, order=10)
        personal_data.register("event_roles", export=events_data.export_team, order=10)
