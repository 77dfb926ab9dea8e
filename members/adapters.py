from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.utils import translation

from .emails import language_for


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are made by the secretariat, by invitation.
        return False

    def send_mail(self, template_prefix, email, context):
        with translation.override(language_for(email)):
            super().send_mail(template_prefix, email, context)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed logins per email by default, which lets anyone lock a
        # director out by typing wrong passwords for their address. Counting per
        # (client IP, email) keeps the brute-force limit without that lever; the
        # per-IP limit in ACCOUNT_RATE_LIMITS still caps each client overall.
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{self.get_client_ip(request)}:{key}"


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Every account can see non-public data, so every account keeps its
        # authenticator; the secretariat resets a lost one in the admin.
        return authenticator.type != authenticator.Type.TOTP
