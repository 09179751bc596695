"""Quiet hours: announcements by text are held overnight in the recipient's own time zone.

The zone comes from the phone number (its country, or its area code where a country spans
several zones); where the number does not settle it, the event's zone is used.
"""

import zoneinfo
from datetime import datetime, time, timedelta
from functools import lru_cache

from django.conf import settings
from phonenumbers import parse
from phonenumbers import timezone as phone_zones
from phonenumbers.phonenumberutil import NumberParseException


@lru_cache(maxsize=4096)
def _zones_for(phone: str) -> tuple[str, ...]:
    try:
        number = parse(phone)
    except NumberParseException:
        return ()
    zones = phone_zones.time_zones_for_number(number)
    if zones == (phone_zones.UNKNOWN_TIMEZONE,):
        # A range with no area data (mobiles in some countries): the country's zones.
        zones = phone_zones._country_level_time_zones_for_number(number)
    return tuple(z for z in zones if z in zoneinfo.available_timezones())


def recipient_zone(phone: str | None, event_zone: str) -> zoneinfo.ZoneInfo:
    zones = _zones_for(str(phone)) if phone else ()
    if event_zone in zones or not zones:
        return zoneinfo.ZoneInfo(event_zone)
    return zoneinfo.ZoneInfo(zones[0])


def quiet_until(moment: datetime, zone: zoneinfo.ZoneInfo) -> datetime | None:
    """When quiet hours end, if `moment` falls inside them in `zone`; None when it may be sent."""
    start, end = time(settings.QUIET_HOURS_START), time(settings.QUIET_HOURS_END)
    local = moment.astimezone(zone)
    if end <= local.time() < start:
        return None
    day = local.date() if local.time() < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=zone)
