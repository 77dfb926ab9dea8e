from allauth.account import app_settings as account_settings

# allauth 65's login flow (pinned in pyproject): the same steps its login view takes.
from allauth.account.internal.flows.login import record_authentication
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import base36_to_int, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..models import User
from ..tokens import invitation_tokens


def _invited_user(uidb36: str, token: str) -> User | None:
    try:
        user = User.objects.get(pk=base36_to_int(uidb36), is_active=True)
    except (ValueError, User.DoesNotExist):
        return None
    return user if invitation_tokens.check_token(user, token) else None


@require_http_methods(["GET", "POST"])
def accept(request, uidb36, token):
    user = _invited_user(uidb36, token)
    if user is None:
        return render(request, "members/invitation_invalid.html", status=400)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        user = services.invitation_accept(
            user=user, token=token, password=form.cleaned_data["new_password1"]
        )
        messages.success(
            request,
            _("Your password is set. Now set up your authenticator app."),
        )
        # Whoever chose the password from the emailed link has just proved both the
        # address and the password: they are signed in as by the login page, and go
        # straight on to the authenticator, then the member area.
        record_authentication(request, user, method="password", email=user.email)
        setup = reverse("mfa_activate_totp") + "?" + urlencode({"next": reverse("portal:home")})
        return perform_login(
            request,
            user,
            email_verification=account_settings.EMAIL_VERIFICATION,
            redirect_url=setup,
            email=user.email,
        )
    return render(request, "members/invitation_accept.html", {"form": form, "email": user.email})
