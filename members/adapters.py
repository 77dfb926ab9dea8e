from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.urls import translate_url
from django.utils import translation

from .emails import language_for


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are made by the secretariat, by invitation.
        return False

    def login(self, request, user):
        # Access follows current roles: a role that ended since the last login no
        # longer opens the admin or private records.
        from .services import user_sync_access

        user_sync_access(user=user)
        return super().login(request, user)

    def send_mail(self, template_prefix, email, context):
        language = language_for(email)
        # The links allauth built point at the pages of the language the request
        # came in (a reset asked for from an English page): send the recipient to
        # the pages of their own language, as the text of the email is.
        context = {
            key: translate_url(value, language)
            if key.endswith("_url") and isinstance(value, str)
            else value
            for key, value in context.items()
        }
        with translation.override(language):
            super().send_mail(template_prefix, email, context)

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth counts failed logins per email by default, which lets anyone lock a
        # director out by typing wrong passwords for their address. Counting per
        # (client IP, email) keeps the brute-force limit without that lever; the
        # per-IP limit in ACCOUNT_RATE_LIMITS still caps each client overall.
        # get_ip truncates IPv6 addresses to their /64, as allauth's per-IP limit
        # does, so hopping addresses inside one network does not reset the count.
        key = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{ratelimit.get_ip(request)}:{key}"


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Every account can see non-public data, so every account keeps its
        # authenticator; the secretariat resets a lost one in the admin.
        return authenticator.type != authenticator.Type.TOTP
