from django.core.cache import cache


def window_count(key: str, seconds: int) -> int:
    """Count one more hit in a fixed window of `seconds` on the shared cache (Redis in production,
    a file cache embedded), so the count holds across every process; returns the count so far."""
    cache.add(key, 0, timeout=seconds)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds)
        return 1
