from django.contrib import messages
from django.contrib.auth.forms import SetPasswordForm
from django.shortcuts import redirect, render
from django.utils.http import base36_to_int
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
        services.invitation_accept(
            user=user, token=token, password=form.cleaned_data["new_password1"]
        )
        messages.success(
            request,
            _("Your password is set. Log in, then set up two-factor authentication."),
        )
        return redirect("account_login")
    return render(request, "members/invitation_accept.html", {"form": form, "email": user.email})
