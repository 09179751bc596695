"""The ceiling of this stack for the event read and the RSVP: the same gunicorn serves
`meetup.wsgi`, and beside it bare views with no middleware, no framework and no ORM:

- GET /bare/events/<slug>: the same read in raw SQL (the event, its venue and its seat counts),
  writing the same JSON;
- POST /bare/events/<slug>/rsvp: the same RSVP in raw SQL: the bearer token, the event, then the
  product's own seat-taking insert (capacity._FAST_INSERT) or, when full, a waitlist place taken
  on the event row and a waitlisted insert. No emails, audit or answers: the least an RSVP can be.
"""

import json

from django.db import IntegrityError, connection, transaction

from meetup.wsgi import application as django_application  # sets up Django first

# isort: split
from meetup.accounts.models import ApiToken
from meetup.events import capacity

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


_TOKEN = """SELECT t.user_id FROM accounts_apitoken t JOIN accounts_user u ON u.id = t.user_id
            WHERE t.key_hash = %s AND u.is_active"""
_WAITLIST = """INSERT INTO events_rsvp (event_id, user_id, status, created_at, ticket_code, notified_status,
                                       waitlist_seq)
               VALUES (%s, %s, 'waitlisted', clock_timestamp(), %s, '', %s) RETURNING id"""


def _rsvp(slug: str, authorization: str):
    with connection.cursor() as cursor:
        cursor.execute(_TOKEN, [ApiToken.hash(authorization.removeprefix("Bearer "))])
        user = cursor.fetchone()
        if user is None:
            return "401 Unauthorized", {"error": "unauthorized"}
        cursor.execute("SELECT id FROM events_event WHERE slug = %s AND status = 'published'", [slug])
        event = cursor.fetchone()
        if event is None:
            return "404 Not Found", {"error": "not_found"}
        code = capacity.new_ticket_code()
        try:
            cursor.execute(capacity._FAST_INSERT, {"event": event[0], "user": user[0], "code": code})
            if cursor.fetchone():
                return "201 Created", {"status": "going"}
            with transaction.atomic():
                cursor.execute("UPDATE events_event SET waitlist_last = waitlist_last + 1 WHERE id = %s "
                               "RETURNING waitlist_last", [event[0]])
                cursor.execute(_WAITLIST, [event[0], user[0], code, cursor.fetchone()[0]])
        except IntegrityError:  # one RSVP per person and event, as the real endpoint answers
            return "200 OK", {"status": "existing"}
        return "201 Created", {"status": "waitlisted"}


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if not path.startswith("/bare/events/"):
        return django_application(environ, start_response)
    slug = path.removeprefix("/bare/events/").strip("/")
    if environ["REQUEST_METHOD"] == "POST" and slug.endswith("/rsvp"):
        status, answer = _rsvp(slug.removesuffix("/rsvp"), environ.get("HTTP_AUTHORIZATION", ""))
    else:
        answer = _event(slug)
        status, answer = ("200 OK", answer) if answer else ("404 Not Found", {"error": "not_found"})
    body = json.dumps(answer).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]
