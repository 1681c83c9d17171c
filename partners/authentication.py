"""DRF authentication for partner apps: `Authorization: Bearer <token>` (or `Token <token>`).

The caller becomes a `ClientPrincipal` (request.user) with the `ApiClient` as
request.auth. A revoked client is refused on its next request: nothing is cached.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiClient
from .selectors import api_client_by_token
from .services import api_client_touch

KEYWORDS = (b"bearer", b"token")


class ClientPrincipal:
    """The request.user of an API client: authenticated, never staff, never an organiser."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None
    id = None

    def __init__(self, client: ApiClient):
        self.client = client
        self.username = f"api-client:{client.pk}"

    def __str__(self) -> str:
        return self.username

    def get_username(self) -> str:
        return self.username


class ApiTokenAuthentication(BaseAuthentication):
    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in KEYWORDS:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header: use “Bearer <token>”."))
        try:
            token = parts[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("The token contains characters that no token has.")) from exc
        client = api_client_by_token(token=token)
        if client is None:
            raise exceptions.AuthenticationFailed(_("Unknown or revoked token."))
        api_client_touch(client=client)
        return ClientPrincipal(client), client

    def authenticate_header(self, request) -> str:
        # Makes DRF answer 401 (not 403) when credentials are missing or wrong.
        return 'Bearer realm="api"'
