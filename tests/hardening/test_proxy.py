"""Behind our TLS proxy every request comes from the proxy's address: per-address limits must count
the client's address, read behind exactly TRUSTED_PROXY_COUNT proxies."""

import pytest
from django.test import Client, RequestFactory

from meetup.lib.net import client_ip
from tests.factories import PASSWORD

PROXY = "10.0.0.2"


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


def _signup(address: str, n: int) -> int:
    client = Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
    return client.post("/accounts/signup/", {"email": f"p{n}@example.org", "password1": PASSWORD}).status_code


@pytest.mark.redis
def test_sign_ups_from_100_clients_through_one_proxy_all_pass_and_the_21st_from_one_client_is_limited(
        db, behind_one_proxy):
    many = [_signup(f"198.51.100.{i}", i) for i in range(1, 101)]
    one = [_signup("203.0.113.7", 1000 + i) for i in range(21)]

    assert set(many) == {302}
    assert set(one[:20]) == {302} and one[20] == 429


def test_client_ip_trusts_exactly_the_configured_number_of_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.9")

    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == PROXY  # the header is ignored: anyone can write it
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "198.51.100.9"  # what our proxy saw, not what the client claimed
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == PROXY  # fewer hops than proxies: not through ours, not believed
    bad = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="not-an-address")
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(bad) == PROXY
