"""One send rate shared by every worker: a token bucket in Redis.

Each call reserves its tokens at once and learns how long to wait before using them, so workers
never spin on the bucket and the provider sees a steady `SMS_RATE_PER_SECOND`. The clock is
Redis's own, so workers on different machines agree. Without Redis (the embedded setup, one
worker) the bucket lives in the process.
"""

import threading
import time

import redis
from django.conf import settings

# KEYS[1]: bucket; ARGV: rate per second, burst, tokens wanted. Returns seconds to wait.
_RESERVE = """
local now_parts = redis.call('TIME')
local now = tonumber(now_parts[1]) + tonumber(now_parts[2]) / 1000000
local rate, burst, want = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens = tonumber(state[1]) or burst
local at = tonumber(state[2]) or now
tokens = math.min(burst, tokens + (now - at) * rate) - want
redis.call('HSET', KEYS[1], 'tokens', tokens, 'at', now)
redis.call('EXPIRE', KEYS[1], 3600)
if tokens >= 0 then return '0' end
return tostring(-tokens / rate)
"""


class Bucket:
    def __init__(self, name: str, rate: float, burst: float | None = None):
        self.key, self.rate = f"meetup:bucket:{name}", rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._lock = threading.Lock()
        self._tokens, self._at = self.burst, time.monotonic()
        self._script = None
        if settings.REDIS_URL:
            self._script = redis.Redis.from_url(settings.REDIS_URL).register_script(_RESERVE)

    def reserve(self, tokens: float = 1.0) -> float:
        """Take `tokens` now; returns how many seconds to wait before using them."""
        if self._script is not None:
            return float(self._script(keys=[self.key], args=[self.rate, self.burst, tokens]))
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate) - tokens
            self._at = now
            return 0.0 if self._tokens >= 0 else -self._tokens / self.rate

    def acquire(self, tokens: float = 1.0) -> float:
        """Take `tokens`, sleeping until the rate allows; returns the time slept."""
        wait = self.reserve(tokens)
        if wait > 0:
            time.sleep(wait)
        return wait
