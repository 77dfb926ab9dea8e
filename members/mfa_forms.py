"""allauth's second-factor forms with the account's own growing delay
(members.login_throttle): whoever has the password still gets only a few codes
an hour, and the owner is told, since a wrong code after the right password means
the password is known. Installed through MFA_FORMS."""

from allauth.account.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.core.exceptions import ValidationError

from . import login_throttle
from .adapters import sign_in_warning_enqueue


class _ThrottledCode:
    def clean_code(self) -> str:
        account = str(self.user.pk)
        if not login_throttle.attempt_allowed(scope=login_throttle.SECOND_FACTOR, account=account):
            raise get_adapter().validation_error("too_many_login_attempts")
        try:
            code = super().clean_code()
        except ValidationError as error:
            if getattr(error, "code", None) == "incorrect_code" and login_throttle.failure_record(
                scope=login_throttle.SECOND_FACTOR, account=account
            ):
                sign_in_warning_enqueue(user_id=self.user.pk, second_factor=True)
            raise
        login_throttle.success_record(scope=login_throttle.SECOND_FACTOR, account=account)
        return code


class ThrottledAuthenticateForm(_ThrottledCode, AuthenticateForm):
    pass


class ThrottledReauthenticateForm(_ThrottledCode, ReauthenticateForm):
    pass


class StableSecretActivateTOTPForm(ActivateTOTPForm):
    """allauth makes a new secret on every showing of the form, so someone who
    scans the QR code and then reloads or switches language has codes refused. The
    secret stays in the session until it is confirmed (allauth clears it then)."""

    def __init__(self, *args, **kwargs) -> None:
        self.user = kwargs.pop("user")
        forms.Form.__init__(self, *args, **kwargs)
        self.secret = totp_auth.get_totp_secret(regenerate=False)
        self.fields["code"].widget.attrs.update(
            {"inputmode": "numeric", "autocomplete": "one-time-code"}
        )
