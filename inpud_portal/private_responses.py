"""Nothing rendered for a person is ever kept by a cache on the way.

A response is personal when the request carried a session (a logged-in member, or
a visitor with a message waiting in it), when rendering it used a CSRF token, or
when it sets a cookie: such a response is marked ``Cache-Control: private,
no-store``, whatever the view said, so no proxy, CDN or shared browser keeps it.
Anonymous public pages are marked public by inpud_portal/page_cache.py instead.

It sits above the session and CSRF middleware, so it sees the cookies they set.
Static files answered by WhiteNoise never reach the session middleware and keep
their own long-lived public headers.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage


class PrivateResponsesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if _personal(request, response):
            response.headers["Cache-Control"] = "private, no-store"
        return response


def _personal(request, response) -> bool:
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return True
    if not hasattr(request, "session"):
        # Answered before the session middleware ran (static files, a refused input).
        return False
    if {settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name} & request.COOKIES.keys():
        return True
    user = getattr(request, "user", None)
    return user is not None and user.is_authenticated
