"""Views behind the page cache that do what no cached page may: tests only."""

from collections import Counter

from django.conf.urls.i18n import i18n_patterns
from django.contrib import messages
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.cache import patch_cache_control

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page
from inpud_portal.urls import urlpatterns as portal_urlpatterns

renders = Counter()


def counted(name):
    def decorator(view):
        def wrapper(request):
            renders[name] += 1
            return view(request)

        return public_page(cache_for_visitors(wrapper))

    return decorator


@counted("plain")
def plain(request):
    return HttpResponse("plain page")


@counted("csrf")
def with_csrf_token(request):
    return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")


@counted("cookie")
def with_cookie(request):
    response = HttpResponse("cookie")
    response.set_cookie("seen", "1")
    return response


@counted("message")
def with_message(request):
    messages.info(request, "Thank you")
    return HttpResponse("message")


def leave_a_message(request):
    text = request.GET.get("text", "Thank you")
    messages.info(request, text)
    return HttpResponse("left a message")


@counted("private")
def private(request):
    response = HttpResponse("private")
    patch_cache_control(response, private=True)
    return response


@counted("missing")
def missing(request):
    return HttpResponse("not here", status=404)


urlpatterns = i18n_patterns(
    path("plain/", plain),
    path("csrf/", with_csrf_token),
    path("cookie/", with_cookie),
    path("message/", with_message),
    path("private/", private),
    path("missing/", missing),
    path("leave-a-message/", public_page(leave_a_message)),
)
# The portal's own pages too, to read the message left above on them.
urlpatterns += portal_urlpatterns
