import time

from allauth.account import app_settings as account_settings
from allauth.account.adapter import DefaultAccountAdapter

# allauth 65 keeps the session's authentication records here (pinned in pyproject).
from allauth.account.internal.flows.login import get_authentication_records
from allauth.core import context as allauth_context
from allauth.core.internal import ratelimit
from allauth.mfa.adapter import DefaultMFAAdapter
from django.contrib.sites.shortcuts import get_current_site
from django.urls import translate_url
from django.utils import timezone, translation

from inpud_portal.mail_render import language_for
from inpud_portal.models import OutboxMessage
from inpud_portal.notices import stored_row
from inpud_portal.outbox import outbox_add
from inpud_portal.rate_limit_keys import keyed_hash

from . import login_throttle
from .models import User


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

    def is_reauthentication_required(self, *, app: str, **kwargs) -> bool:
        # Setting up the authenticator comes right after the password was typed
        # (logging in, or choosing it from the invitation): asking for it again
        # there only makes a first login type it twice in a row. allauth counts
        # only explicit reauthentications, so a fresh sign-in within the timeout
        # counts here too, for allauth.mfa's pages alone. Voting, the password and
        # the email pages still ask as before (they pass no app, or their own check).
        request = allauth_context.request
        if app == "allauth.mfa" and _signed_in_recently(request) and _enrolling(request):
            return False
        return super().is_reauthentication_required(app=app, **kwargs)

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
        # allauth's own send_mail, except that the message becomes an outbox row
        # (account mail goes ahead of any bulk mailing) instead of being sent here.
        # Its body holds one-time keys, so it is stored until it is handed over.
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            "current_site": get_current_site(request),
            **context,
        }
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        outbox_add(
            [
                stored_row(
                    message,
                    kind=OutboxMessage.Kind.ACCOUNT,
                    template=template_prefix,
                    language=language,
                    priority=OutboxMessage.Priority.ACCOUNT,
                )
            ]
        )

    def get_client_ip(self, request) -> str:
        # allauth keys its per-IP rate limits by this, and the portal needs the
        # address for nothing else: hand out a keyed hash, so Redis never holds an
        # address. IPv6 addresses are first cut to their /64, as allauth would, so
        # hopping addresses inside one network does not reset the count.
        address = ratelimit.truncate_ip(super().get_client_ip(request))
        return keyed_hash(address)

    def pre_authenticate(self, request, **credentials):
        # 1. allauth's per-IP limit on failed logins (ACCOUNT_RATE_LIMITS).
        super().pre_authenticate(request, **credentials)
        # 2. The account's own growing delay, whatever the address.
        if not login_throttle.attempt_allowed(
            scope=login_throttle.PASSWORD, account=_account(credentials)
        ):
            self._rollback_login_failed_rl_usage()
            raise self.validation_error("too_many_login_attempts")

    def authenticate(self, request, **credentials):
        user = super().authenticate(request, **credentials)
        if user is not None:
            login_throttle.success_record(
                scope=login_throttle.PASSWORD, account=_account(credentials)
            )
        return user

    def authentication_failed(self, request, **credentials):
        account = _account(credentials)
        if login_throttle.failure_record(scope=login_throttle.PASSWORD, account=account):
            # The same answer whether or not the address has an account: only the
            # owner, if there is one, hears of it.
            user_id = User.objects.filter(email__iexact=account).values_list("pk", flat=True)
            for pk in user_id[:1]:
                sign_in_warning_enqueue(user_id=pk, second_factor=False)


def _signed_in_recently(request) -> bool:
    if request is None or not request.user.is_authenticated:
        return False
    records = get_authentication_records(request, request.user)
    return any(
        time.time() - record["at"] < account_settings.REAUTHENTICATION_TIMEOUT for record in records
    )


def _enrolling(request) -> bool:
    """Setting up the first authenticator, or reading the recovery codes it came with
    just now. Anything later (new codes, a second look) asks for the password again:
    a stolen fresh session must not be enough to take a lasting second factor."""
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.filter(user=request.user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        return True
    match = getattr(request, "resolver_match", None)
    just_made = (timezone.now() - totp.created_at).total_seconds() < (
        account_settings.REAUTHENTICATION_TIMEOUT
    )
    return (
        just_made
        and match is not None
        and match.url_name
        in {
            "mfa_view_recovery_codes",
            "mfa_download_recovery_codes",
        }
    )


def _account(credentials) -> str:
    return (credentials.get("email") or credentials.get("username") or "").strip().lower()


def sign_in_warning_enqueue(*, user_id: int, second_factor: bool) -> None:
    from .notifications import sign_in_warning_add

    sign_in_warning_add(user_id=user_id, second_factor=second_factor)


class MFAAdapter(DefaultMFAAdapter):
    def can_delete_authenticator(self, authenticator) -> bool:
        # Every account can see non-public data, so every account keeps its
        # authenticator; the secretariat resets a lost one in the admin.
        return authenticator.type != authenticator.Type.TOTP
