"""The ceiling of this stack for the event read: the same gunicorn serves `meetup.wsgi`, and at
/bare/events/<slug> a bare view with no middleware, no auth and no ORM doing the same read in raw
SQL (the event, its venue and its seat counts) and writing the same JSON."""

import json

from django.db import connection

from meetup.wsgi import application as django_application  # sets up Django first

_READ = """
SELECT e.slug, e.title, e.description, e.status, e.starts_at, e.ends_at, e.timezone, e.capacity,
       e.rsvp_opens_at, e.rsvp_closes_at, e.code_of_conduct_url,
       v.slug, v.name, v.address, v.timezone, v.capacity_standing,
       (SELECT coalesce(sum(taken), 0) FROM events_capacityshard s WHERE s.event_id = e.id),
       (SELECT count(*) FROM events_rsvp r WHERE r.event_id = e.id AND r.status = 'waitlisted')
FROM events_event e LEFT JOIN events_venue v ON v.id = e.venue_id
WHERE e.slug = %s AND e.status = 'published'
"""


def _iso(value):
    return value.isoformat() if value is not None else None


def _event(slug: str):
    with connection.cursor() as cursor:
        cursor.execute(_READ, [slug])
        row = cursor.fetchone()
    if row is None:
        return None
    venue = None if row[11] is None else {"slug": row[11], "name": row[12], "address": row[13], "timezone": row[14],
                                          "capacity_standing": row[15]}
    return {"slug": row[0], "title": row[1], "description": row[2], "status": row[3], "starts_at": _iso(row[4]),
            "ends_at": _iso(row[5]), "timezone": row[6], "capacity": row[7], "going_count": row[16],
            "waitlist_count": row[17], "rsvp_opens_at": _iso(row[8]), "rsvp_closes_at": _iso(row[9]),
            "code_of_conduct_url": row[10], "venue": venue}


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith("/bare/events/"):
        return django_application(environ, start_response)
    event = _event(path.removeprefix("/bare/events/").strip("/"))
    body = json.dumps(event).encode() if event else b'{"error": "not_found"}'
    start_response("200 OK" if event else "404 Not Found",
                   [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
