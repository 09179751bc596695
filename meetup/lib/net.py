"""The address a request came from, behind exactly `TRUSTED_PROXY_COUNT` proxies of ours.

Each proxy appends the address it got the request from to X-Forwarded-For, so with N trusted
proxies the client is the N-th entry from the right; anything further left was written by the
client and is not believed. With no trusted proxy (the default) the header is ignored. Every
per-address limit uses this, and allauth is told the same count (ALLAUTH_TRUSTED_PROXY_COUNT)."""

import ipaddress

from django.conf import settings


def _clean(value: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((value or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    remote = _clean(request.META.get("REMOTE_ADDR"))
    count = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if count <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    if len(hops) < count:
        return remote  # a request that did not come through all our proxies
    return _clean(hops[-count]) or remote
