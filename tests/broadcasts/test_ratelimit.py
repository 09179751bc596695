import pytest

from meetup.broadcasts.ratelimit import Bucket


@pytest.fixture
def fresh_bucket(settings):
    import redis

    if settings.REDIS_URL:
        redis.Redis.from_url(settings.REDIS_URL).delete("meetup:bucket:test-shared")
    return "test-shared"


@pytest.mark.redis
def test_workers_share_one_rate_through_redis(fresh_bucket):
    first, second = Bucket(fresh_bucket, rate=10), Bucket(fresh_bucket, rate=10)  # two workers

    assert first.reserve(10) == 0  # the burst
    wait = second.reserve(10)  # the other worker pays for what the first took

    assert 0.9 <= wait <= 1.05


def test_without_redis_the_bucket_paces_one_process(settings, fresh_bucket):
    settings.REDIS_URL = ""
    bucket = Bucket(fresh_bucket, rate=5)

    waits = [bucket.reserve(1) for _ in range(10)]

    assert waits[:5] == [0.0] * 5
    assert 0.15 <= waits[5] <= 0.21 and 0.95 <= waits[9] <= 1.01
