"""The door page's offline parts: the service worker, the manifest, and entries and exits online."""

import json

from meetup.events import signing
from meetup.events.models import Entrance, Scan


def test_the_service_worker_is_served_from_the_root_with_its_scope_allowed(client):
    response = client.get("/door-sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert "caches.open" in response.content.decode()


def test_the_door_page_links_its_manifest_and_offline_scripts(client, door_staff, event):
    client.force_login(door_staff)

    page = client.get(f"/events/{event.slug}/door/").content.decode()
    manifest = json.loads(client.get(f"/events/{event.slug}/door/manifest.webmanifest").content)

    assert "manifest.webmanifest" in page and "door-offline.js" in page and "door-verify.js" in page
    assert manifest["start_url"] == f"/events/{event.slug}/door/" and manifest["display"] == "standalone"


def test_entries_and_exits_online_keep_the_headcount(api, door_staff, event, tickets):
    door = Entrance.objects.create(event=event, name="North")
    code = signing.ticket_code(tickets[0])
    url = f"/api/events/{event.slug}/checkins"

    first = api(door_staff).post(url, {"code": code, "entrance": door.pk})
    out = api(door_staff).post(url, {"code": code, "direction": "exit", "entrance": door.pk})
    out_again = api(door_staff).post(url, {"code": code, "direction": "exit"})
    back = api(door_staff).post(url, {"code": code, "entrance": door.pk})

    assert (first.status_code, out.json()["status"], out_again.status_code, back.status_code) == (201, "checked_out",
                                                                                                  409, 201)
    assert [s.outcome for s in Scan.objects.filter(rsvp=tickets[0])] == ["admitted", "exited", "admitted"]
    counts = api(door_staff).get(f"/api/events/{event.slug}/entrances").json()
    assert counts == [{"id": door.pk, "name": "North", "entries": 2, "exits": 1, "conflicts": 0}]


def test_another_events_entrance_is_refused(api, door_staff, event, tickets):
    from tests.factories import EventFactory

    elsewhere = Entrance.objects.create(event=EventFactory(), name="Theirs")

    response = api(door_staff).post(f"/api/events/{event.slug}/checkins",
                                    {"code": tickets[0].ticket_code, "entrance": elsewhere.pk})

    assert response.status_code == 400
