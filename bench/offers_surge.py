"""The `rsvp_surge --offers` run: waitlist offers under a surge of cancellations and claims.

Phases, all over HTTP against gunicorn on the real database:
1. RSVPs: going + waiting users RSVP from 32 clients (the event has waitlist offers on).
2. Cancellations: the first `cancellations` people going cancel, paced evenly over 10 s; each
   frees a seat that is offered to the head of the waitlist. 32 clients claim offers as they
   appear, but only every other one: the rest are left open.
3. Expiry: the expiry job runs (as beat would, once their time has passed) and passes each
   unclaimed seat to the next person in order.
4. Claims burst: 32 clients claim every open offer as fast as they can: claims/s.
"""

import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import stack

CLIENTS = 32


def _request(method: str, url: str, *, token: str | None = None, body: bytes | None = None) -> tuple[int, float]:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=body, method=method, headers=headers),
                                    timeout=30) as response:
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    return status, time.perf_counter() - started


def _pool(items, work) -> tuple[list, float]:
    started = time.perf_counter()
    with ThreadPoolExecutor(CLIENTS) as pool:
        results = list(pool.map(work, items))
    return results, time.perf_counter() - started


def _percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(len(values) * p))] * 1000, 1) if values else 0.0


def run(args) -> None:
    stack.require("psql", "redis-cli")
    stack.fresh_database()

    from django.utils import timezone

    from meetup.accounts.models import User
    from meetup.events import services
    from meetup.events.models import RSVP, Event, Offer

    organiser = User.objects.create(username="organiser", email="organiser@example.org")
    now = timezone.now()
    event = services.event_create(
        organiser=organiser, title="Offers surge", starts_at=now + timedelta(days=7),
        ends_at=now + timedelta(days=7, hours=3), timezone="UTC", capacity=args.going,
        status=Event.Status.PUBLISHED, waitlist_mode=Event.WaitlistMode.OFFERS)
    users, tokens = stack.users_with_tokens(args.going + args.waiting, "offers")
    token_of = {user.pk: token for user, token in zip(users, tokens, strict=True)}

    with stack.gunicorn(workers=args.workers) as base:
        rsvp_url = f"{base}/api/events/{event.slug}/rsvp"
        # 1. RSVPs, in order of arrival as far as 32 clients allow.
        rsvp_results, rsvp_seconds = _pool(tokens, lambda t: _request(
            "POST", rsvp_url, token=t, body=b'{"accept_code_of_conduct": true}'))
        going_before = set(RSVP.objects.filter(event=event, status="going").values_list("user_id", flat=True))
        leaving = [token_of[u] for u in sorted(going_before)[: args.cancellations]]

        # 2. Cancellations paced over 10 s, with half the offers claimed as they appear.
        claimed_live, claim_latencies, stop = [], [], threading.Event()
        seen: set[int] = set()

        def cancel_paced(i_token):
            i, token = i_token
            time.sleep(max(0.0, start + i * 10.0 / len(leaving) - time.perf_counter()))
            return _request("DELETE", rsvp_url, token=token)

        def claimer():
            with ThreadPoolExecutor(CLIENTS) as pool:
                while not stop.is_set():
                    fresh = [o for o in Offer.objects.filter(event=event, status="open").order_by("id")
                             if o.pk not in seen]
                    for offer in fresh:
                        seen.add(offer.pk)
                    wanted = [o for o in fresh if o.pk % 2 == 0]
                    for status, seconds in pool.map(
                            lambda o: _request("POST", f"{base}/api/offers/{services.offer_token(o)}/claim"), wanted):
                        claimed_live.append(status)
                        claim_latencies.append(seconds)
                    time.sleep(0.05)

        watcher = threading.Thread(target=claimer)
        start = time.perf_counter()
        watcher.start()
        cancel_results, cancel_seconds = _pool(list(enumerate(leaving)), cancel_paced)
        time.sleep(1.0)
        stop.set()
        watcher.join()

        # 3. Expiry: the unclaimed offers pass on, once each.
        open_before = Offer.objects.filter(event=event, status="open").count()
        expire_started = time.perf_counter()
        expired = services.offers_expire(now=timezone.now() + timedelta(days=2))
        expire_seconds = time.perf_counter() - expire_started

        # 4. Claims burst.
        burst = list(Offer.objects.filter(event=event, status="open"))
        burst_results, burst_seconds = _pool(
            burst, lambda o: _request("POST", f"{base}/api/offers/{services.offer_token(o)}/claim"))

    going = RSVP.objects.filter(event=event, status="going").count()
    offered = RSVP.objects.filter(event=event, status="offered").count()
    offers = list(Offer.objects.filter(event=event).order_by("id").values_list("rsvp__created_at", "rsvp_id"))
    arrival = [created for created, _ in offers]
    rsvps_ok = sum(1 for status, _ in rsvp_results if status in (200, 201))
    burst_ok = sum(1 for status, _ in burst_results if status == 200)
    claims_per_s = burst_ok / burst_seconds if burst_seconds else 0.0
    rsvps_per_s = rsvps_ok / rsvp_seconds
    stack.report("rsvp_surge_offers", {
        "going": args.going, "waiting": args.waiting, "cancellations": args.cancellations, "clients": CLIENTS,
        "gunicorn_workers": args.workers, "client": "python urllib, one connection per request",
        "rsvps": rsvps_ok, "rsvps_per_s": round(rsvps_per_s, 1),
        "rsvp_p50_ms": _percentile([s for _, s in rsvp_results], 0.5),
        "rsvp_p99_ms": _percentile([s for _, s in rsvp_results], 0.99),
        "cancellations_ok": sum(1 for status, _ in cancel_results if status == 200),
        "cancel_seconds": round(cancel_seconds, 2),
        "claims_live": sum(1 for status in claimed_live if status == 200),
        "claim_live_p50_ms": _percentile(claim_latencies, 0.5), "claim_live_p99_ms": _percentile(claim_latencies, 0.99),
        "left_open": open_before, "expired": expired, "expiry_job_s": round(expire_seconds, 3),
        "claims_burst": burst_ok, "claims_per_s": round(claims_per_s, 1),
        "claim_burst_p50_ms": _percentile([s for _, s in burst_results], 0.5),
        "claim_burst_p99_ms": _percentile([s for _, s in burst_results], 0.99),
        "ratio_claims_vs_rsvps": round(claims_per_s / rsvps_per_s, 3) if rsvps_per_s else None,
        "final_going": going, "final_offered": offered,
        "shard_sum": sum(event.shards.values_list("taken", flat=True)),
        "overbooked": max(0, going + offered - args.going),
        "offers_made": len(offers), "freed_seats": args.cancellations + expired,
        "seat_offered_twice": len(offers) - len({rsvp_id for _, rsvp_id in offers}),
        "offers_in_arrival_order": arrival == sorted(arrival),
        "http_errors": sum(1 for status, _ in rsvp_results + cancel_results + burst_results if status >= 500),
    })
