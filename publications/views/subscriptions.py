"""Subscribing, confirming, unsubscribing and managing one's subscription.

Nothing changes on GET: every link in an email leads to a page with a button,
except the RFC 8058 one-click POST, which unsubscribes at once.
"""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from inpud_portal.public_pages import public_page

from ..forms import PreferencesForm, SubscribeForm
from ..mail_messages import (
    MANAGE_SALT,
    UNSUBSCRIBE_SALT,
    manage_link_expires_at,
    manage_link_max_age,
    subscriber_from_token,
    subscriber_id_from_expired_token,
)
from ..services import subscribers as services


@public_page
@require_http_methods(["GET", "POST"])
def subscribe(request):
    form = SubscribeForm(
        request.POST if request.method == "POST" else None,
        initial={"language": translation.get_language()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        services.subscription_request(
            email=data["email"],
            name=data["name"],
            language=data["language"],
            audiences=data["audiences"],
            consent_text=str(form.fields["consent"].label),
        )
        return render(request, "publications/subscribe_sent.html", {"email": data["email"]})
    return render(request, "publications/subscribe.html", {"form": form})


@public_page
@require_http_methods(["GET", "POST"])
def confirm(request, token):
    if request.method == "POST":
        subscriber = services.subscription_confirm(token=token)
        if subscriber is None:
            return render(request, "publications/link_invalid.html", status=400)
        return render(request, "publications/subscribe_confirmed.html", {"subscriber": subscriber})
    return render(request, "publications/subscribe_confirm.html", {"token": token})


@public_page
@csrf_exempt  # RFC 8058: mail providers POST here without a form; the signed token is the key.
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    subscriber = subscriber_from_token(token, salt=UNSUBSCRIBE_SALT)
    if subscriber is None:
        return render(request, "publications/link_invalid.html", status=400)
    if request.method == "POST":
        services.subscriber_unsubscribe(subscriber=subscriber)
        return render(request, "publications/unsubscribed.html", {"subscriber": subscriber})
    return render(request, "publications/unsubscribe_confirm.html", {"subscriber": subscriber})


@public_page
@require_http_methods(["GET", "POST"])
def manage(request, token):
    try:
        subscriber = subscriber_from_token(token, salt=MANAGE_SALT, max_age=manage_link_max_age())
    except signing.SignatureExpired:
        return _manage_link_expired(request, token)
    if subscriber is None:
        return render(request, "publications/link_invalid.html", status=400)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "erase":
        services.subscriber_erase(subscriber=subscriber)
        return render(request, "publications/erased.html")
    if request.GET.get("download") == "1":
        response = HttpResponse(
            services.subscriber_data(subscriber=subscriber), content_type="application/json"
        )
        response["Content-Disposition"] = 'attachment; filename="my-inpud-subscription.json"'
        return response
    form = PreferencesForm(
        request.POST if action == "update" else None,
        initial={
            "language": subscriber.preferred_language,
            "audiences": subscriber.audiences.all(),
        },
    )
    if action == "update" and form.is_valid():
        services.subscriber_update(
            subscriber=subscriber,
            language=form.cleaned_data["language"],
            audiences=form.cleaned_data["audiences"],
        )
        messages.success(request, _("Your preferences have been saved."))
        return redirect(request.path)
    if action not in (None, "update"):
        raise Http404
    return render(
        request,
        "publications/manage.html",
        {
            "form": form,
            "subscriber": subscriber,
            "token": token,
            "expires_at": manage_link_expires_at(token),
        },
    )


def _manage_link_expired(request, token):
    """An expired manage link: a button mails a fresh link to the address this one was
    sent to. The answer is the same whether that address is still subscribed."""
    if request.method == "POST" and request.POST.get("action") == "resend":
        subscriber_id = subscriber_id_from_expired_token(token, salt=MANAGE_SALT)
        services.subscriber_manage_link_send(subscriber_id=subscriber_id)
        # Post, redirect, get: reloading the answer sends nothing more.
        return redirect(f"{request.path}?sent=1")
    if request.method == "POST":
        raise Http404
    template = "manage_link_sent" if request.GET.get("sent") == "1" else "manage_link_expired"
    return render(
        request,
        f"publications/{template}.html",
        {"days": settings.SUBSCRIPTION_MANAGE_LINK_DAYS},
    )
