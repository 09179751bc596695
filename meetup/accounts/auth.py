"""API authentication: bearer tokens from accounts, or the session, or (for public reads) nobody."""

from django.contrib.auth.models import AnonymousUser
from django.utils.functional import SimpleLazyObject
from ninja.security import HttpBearer, django_auth

from meetup.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class LazyTokenAuth(TokenAuth):
    """For public reads: the token is looked up only when the endpoint asks who the caller is (a
    draft, a personal part), so the surge's reads of a published event cost no query for it. A
    token that matches no active user makes the caller anonymous, never the session's user."""

    def authenticate(self, request, token):
        request.user = SimpleLazyObject(lambda: api_token_authenticate(token) or AnonymousUser())
        return True


def _anonymous(request):
    return True


# For endpoints anyone may call (all reads): a token or session still identifies the caller when present.
public = [LazyTokenAuth(), django_auth, _anonymous]
