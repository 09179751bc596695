"""API authentication: bearer tokens from accounts, or the session, or (for public reads) nobody."""

from ninja.security import HttpBearer, django_auth

from meetup.accounts.services import api_token_authenticate


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


def _anonymous(request):
    return True


# For endpoints anyone may call: a token or session still identifies the caller when present.
public = [TokenAuth(), django_auth, _anonymous]
