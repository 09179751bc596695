"""How allauth makes accounts here: a sign-up that chooses no username gets a generated handle
("user-4f3a9c"), never one derived from the email address, which would publish its local part
as the author of comments, in team lists and as a collection's owner; and allauth's per-address
limits count the client's address behind our proxies (meetup/lib/net.py), not the proxy's."""

import secrets

from allauth.account.adapter import DefaultAccountAdapter

from meetup.lib.net import client_ip


def generate_handle(model) -> str:
    """A username no account has yet, made of random hex."""
    while True:
        handle = f"user-{secrets.token_hex(3)}"
        if not model.objects.filter(username__iexact=handle).exists():
            return handle


class AccountAdapter(DefaultAccountAdapter):
    def populate_username(self, request, user):
        if not user.username:
            user.username = generate_handle(type(user))

    def get_client_ip(self, request):
        # The same address every per-address limit of ours uses (behind TRUSTED_PROXY_COUNT proxies).
        return client_ip(request) or super().get_client_ip(request)
