"""allauth's second-factor forms with the account's own growing delay
(members.login_throttle): whoever has the password still gets only a few codes
an hour, and the owner is told, since a wrong code after the right password means
the password is known. Installed through MFA_FORMS."""

from allauth.account.adapter import get_adapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
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
