from allauth.mfa.models import Authenticator
from allauth.mfa.utils import is_mfa_enabled
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from inpud_portal.public_pages import is_public_page

# What a logged-in member without an authenticator may still reach: enrolling one,
# re-entering their password for it, and leaving.
MFA_SETUP_URL_NAMES = frozenset(
    {
        "mfa_activate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "account_reauthenticate",
        "account_logout",
    }
)


class RequireMFAMiddleware:
    """Every account can see non-public data, so no account sees any before it has
    a TOTP authenticator. Public pages stay open; everything else sends the member
    to set one up, whatever URL they try."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or is_public_page(view_func):
            return None
        match = request.resolver_match
        if match is not None and match.url_name in MFA_SETUP_URL_NAMES:
            return None
        if is_mfa_enabled(user, [Authenticator.Type.TOTP]):
            return None
        activate = reverse("mfa_activate_totp")
        return redirect(f"{activate}?{urlencode({'next': request.get_full_path()})}")
