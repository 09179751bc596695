"""Every email and text goes out in its recipient's language, whatever language the organiser (or
the worker) works in: through the real outbox, to a real SMTP server and the Twilio fake."""

import pytest
from django.utils import translation
from django.utils.formats import date_format

from meetup.broadcasts import outbox, services
from meetup.broadcasts.models import Delivery
from meetup.events.services import rsvp_create
from tests.broadcasts.conftest import person, rsvp
from tests.factories import EventFactory
from tests.outbox import deliver_all

pytestmark = pytest.mark.usefixtures("twilio_server", "smtp_inbox")


@pytest.fixture
def bilingual(event):
    event.translations = {"fr": {"title": "Soirée des modèles ouverts", "description": "Démos et exposés."}}
    event.save(update_fields=["translations"])
    return event


def _blast(event, organiser, **kwargs):
    with translation.override("en"):  # the organiser works in English
        return services.broadcast_create(event=event, created_by=organiser, channels="both",
                                         body="Doors open at 6pm.", **kwargs)


def test_a_french_recipient_gets_the_text_and_the_email_in_french_while_the_organiser_works_in_english(
        bilingual, organiser, twilio_server, smtp_inbox):
    organiser.language = "en"
    organiser.save(update_fields=["language"])
    claire, ann = person(language="fr", display_name="Claire Dubois"), person(language="en", display_name="Ann Lee")
    rsvp(bilingual, claire)
    rsvp(bilingual, ann)
    _blast(bilingual, organiser, subject="{event}: doors")

    with translation.override("en"):  # the worker's own language does not matter either
        deliver_all()

    french_text = twilio_server.to(str(claire.phone))[0]["Body"]
    assert french_text == "Doors open at 6pm.\nRépondez STOP pour ne plus recevoir de SMS."
    assert twilio_server.to(str(ann.phone))[0]["Body"].endswith("\nReply STOP to opt out.")
    french_mail = smtp_inbox.to(claire.email)[0]
    assert french_mail["Subject"] == "Soirée des modèles ouverts: doors"  # the event's French title
    body = smtp_inbox.last_text(claire.email)
    assert "Vous recevez ce message car vous êtes inscrit à Soirée des modèles ouverts" in body
    assert "You get this" not in body
    html = french_mail.get_body(preferencelist=("html",)).get_content()
    assert '<html lang="fr">' in html and "Se désabonner" in html
    english_mail = smtp_inbox.to(ann.email)[0]
    assert english_mail["Subject"] == "Open Models Night: doors"
    assert "You get this because you RSVPed to Open Models Night" in smtp_inbox.last_text(ann.email)


def test_placeholders_follow_the_recipient_too(bilingual, organiser, twilio_server):
    claire, ann = person(language="fr"), person(language="en")
    bilingual.venue = None
    bilingual.save(update_fields=["venue"])
    for who in (claire, ann):
        rsvp(bilingual, who)
    with translation.override("en"):
        services.broadcast_create(event=bilingual, created_by=organiser, channels="sms",
                                  body="{event} · {venue} · {starts_at}")
    deliver_all()

    french = twilio_server.to(str(claire.phone))[0]["Body"]
    english = twilio_server.to(str(ann.phone))[0]["Body"]
    assert french.startswith("Soirée des modèles ouverts · lieu à confirmer · ")
    assert english.startswith("Open Models Night · venue to be announced · ")
    # Day and month names in the recipient's language.
    starts = bilingual.starts_at.astimezone(bilingual.tz)
    with translation.override("fr"):
        assert date_format(starts, "D j M") in french


def test_a_ticket_email_goes_out_in_the_attendees_language(db, organiser, smtp_inbox):
    event = EventFactory(title="Open Models Night", translations={"fr": {"title": "Soirée des modèles ouverts"}})
    claire = person(language="fr")
    with translation.override("en"):
        rsvp_create(event=event, user=claire, accept_code_of_conduct=True)

    deliver_all()

    message = smtp_inbox.to(claire.email)[0]
    assert message["Subject"] == "Votre billet : Soirée des modèles ouverts"
    text = smtp_inbox.last_text(claire.email)
    assert "Bonjour" in text and "Vous participez à Soirée des modèles ouverts." in text
    assert "Code du billet :" in text and "Ticket code" not in text


def test_a_recipient_without_an_account_or_with_an_unknown_language_gets_the_default(event, settings):
    assert outbox.recipient_language(Delivery(user=None)) == settings.LANGUAGE_CODE
    assert outbox.recipient_language(Delivery(user=person(language="fr"))) == "fr"
    assert outbox.recipient_language(Delivery(user=person(language="xx"))) == settings.LANGUAGE_CODE


def test_a_keyword_reply_is_in_the_senders_language(db):
    from meetup.broadcasts.inbound import sms_keyword_handle

    claire = person(language="fr")

    assert sms_keyword_handle(sender=str(claire.phone), body="STOP").startswith("Vous êtes désinscrit des SMS")
    assert sms_keyword_handle(sender=str(claire.phone), body="AIDE").startswith("Open AI Meetups : nouvelles")
    assert sms_keyword_handle(sender="+14155550999", body="HELP").startswith("Open AI Meetups: event updates")
    claire.refresh_from_db()
    assert claire.sms_opt_in is False


def test_a_text_built_at_send_time_is_in_the_recipients_language(bilingual, twilio_server):
    """Reminders, offers and "still coming?" texts are written by builders at send time: inside the
    recipient's language too."""
    from meetup.broadcasts.models import Broadcast

    claire = person(language="fr")
    going = rsvp(bilingual, claire)
    stream = services.stream_for(kind=Broadcast.Kind.REMINDER, event=bilingual)
    services.deliveries_enqueue(broadcast=stream, messages=[(claire.pk, f"reminder:24:{going.pk}", "")],
                                channel=Delivery.Channel.SMS)

    with translation.override("en"):
        deliver_all(channels=("sms",))

    body = twilio_server.to(str(claire.phone))[0]["Body"]
    assert body.startswith("Rappel : Soirée des modèles ouverts commence le ")
    assert body.endswith("\nRépondez STOP pour ne plus recevoir de SMS.")


def test_a_french_speaker_is_offered_a_seat_in_french_and_takes_it_with_oui(db, client, twilio_server, smtp_inbox):
    from meetup.events.models import RSVP
    from tests.broadcasts.test_replies import offered, offers_event, reply

    event = offers_event(title="Offers Night", translations={"fr": {"title": "Soirée des offres"}})
    claire = person(language="fr")
    offer = offered(event, claire)

    deliver_all()

    [text] = twilio_server.to(str(claire.phone))
    assert text["Body"].startswith("Une place s'est libérée à Soirée des offres")
    assert "répondez OUI pour la prendre" in text["Body"]
    [email] = smtp_inbox.to(claire.email)
    assert "Une place s'est libérée pour Soirée des offres" in email["Subject"]
    answer = reply(client, claire, "Oui")
    assert "La place est à vous : vous participez à Soirée des offres." in answer
    offer.refresh_from_db()
    assert offer.status == "claimed"
    assert RSVP.objects.get(event=event, user=claire).status == RSVP.Status.GOING
