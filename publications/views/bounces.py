"""Bounce and complaint reports from the mail provider."""

import hmac

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from inpud_portal.public_pages import public_page
from inpud_portal.unsafe_input import json_loads_limited

from ..services.subscribers import subscriber_record_bounce

# A report is one flat object; providers that wrap it add a level or two at most.
MAX_REPORT_DEPTH = 4


@public_page
@csrf_exempt  # called by the mail provider with a bearer token, not from a browser
@require_POST
def bounce_report(request):
    """POST {"email": ..., "type": "hard" | "soft" | "complaint"} with
    `Authorization: Bearer <BOUNCE_WEBHOOK_TOKEN>`. Answers the same whether or not
    the address is known."""
    token = settings.BOUNCE_WEBHOOK_TOKEN
    given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
    if not token or not hmac.compare_digest(given, token):
        return HttpResponse(status=401)
    try:
        # The provider may not label the body as JSON, so the middleware's check on
        # JSON bodies is repeated here, with the depth a report can have.
        report = json_loads_limited(request.body, max_depth=MAX_REPORT_DEPTH)
        email, kind = str(report["email"]), str(report["type"])
    except (ValueError, KeyError, TypeError, RecursionError):
        return JsonResponse({"error": "expected {email, type}"}, status=400)
    if kind not in ("hard", "soft", "complaint"):
        return JsonResponse({"error": "type must be hard, soft or complaint"}, status=400)
    subscriber_record_bounce(email=email, kind=kind)
    return JsonResponse({"recorded": True})
