"""One beat schedules, however many hosts run one.

Each beat process ticks as usual, but sends due tasks only while it holds a lock in Redis: a key set
with NX and a TTL (BEAT_LOCK_TTL), renewed on every tick by the holder alone. A second beat finds the
key taken and waits; when the holder stops (crash, host lost, shutdown) the key expires, or is
released, and the next beat to tick takes over. Without Redis (the embedded broker, one box) there is
nothing to share and the lock is always held.

The beat that schedules writes a heartbeat (in Redis, else a file in DATA_DIR) that /healthz and the
metrics read; every beat process, scheduling or waiting, touches DATA_DIR/beat-alive on each tick for
its container's health check.
"""

import logging
import os
import socket
import time
import uuid
from pathlib import Path

import redis
from celery.beat import PersistentScheduler
from django.conf import settings

logger = logging.getLogger(__name__)

LOCK_KEY = "meetup:beat:lock"
HEARTBEAT_KEY = "meetup:beat:heartbeat"
# Renew only a lock this process holds; release likewise.
_RENEW = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) end return 0"
_RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end return 0"


def _client() -> redis.Redis | None:
    return redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2) if settings.REDIS_URL else None


def _heartbeat_file() -> Path:
    return Path(settings.DATA_DIR) / "beat-heartbeat"


def heartbeat_age() -> float | None:
    """Seconds since the scheduling beat last ticked, or None when no beat ever has."""
    client = _client()
    if client is not None:
        value = client.get(HEARTBEAT_KEY)
        return None if value is None else max(0.0, time.time() - float(value))
    try:
        return max(0.0, time.time() - _heartbeat_file().stat().st_mtime)
    except FileNotFoundError:
        return None


class LockedScheduler(PersistentScheduler):
    def __init__(self, *args, **kwargs):
        self._token = f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex}"
        self._redis = _client()
        self._leader = False
        super().__init__(*args, **kwargs)

    @property
    def lock_ttl(self) -> float:
        return float(settings.BEAT_LOCK_TTL)

    def tick(self, *args, **kwargs):
        (Path(settings.DATA_DIR) / "beat-alive").touch()
        # Renew well within the TTL, however long the schedule lets beat sleep.
        renew_every = self.lock_ttl / 3
        if not self._hold_lock():
            return renew_every
        self._beat()
        return min(super().tick(*args, **kwargs), renew_every)

    def _hold_lock(self) -> bool:
        if self._redis is None:
            held = True
        else:
            ttl_ms = int(self.lock_ttl * 1000)
            try:
                held = bool(
                    self._redis.set(LOCK_KEY, self._token, nx=True, px=ttl_ms)
                    or self._redis.eval(_RENEW, 1, LOCK_KEY, self._token, ttl_ms)
                )
            except redis.RedisError as exc:
                logger.warning("beat: cannot reach Redis for the lock, not scheduling: %s", exc)
                held = False
        if held != self._leader:
            if held:
                logger.info("beat: holding the lock, this beat schedules (%s)", self._token)
            else:
                logger.info("beat: another beat holds the lock, this one waits (%s)", self._token)
        self._leader = held
        return held

    def _beat(self) -> None:
        if self._redis is None:
            _heartbeat_file().touch()
            return
        try:
            self._redis.set(HEARTBEAT_KEY, repr(time.time()), ex=86400)
        except redis.RedisError as exc:
            logger.warning("beat: cannot write the heartbeat: %s", exc)

    def close(self):
        if self._redis is not None and self._leader:
            try:
                self._redis.eval(_RELEASE, 1, LOCK_KEY, self._token)
            except redis.RedisError:
                pass  # it expires on its own
        super().close()
