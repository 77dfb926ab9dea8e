from django.conf import settings


class SecurityHeadersMiddleware:
    """Add the headers Django's SecurityMiddleware does not set itself.

    The policy allows only the site's own origin: the portal loads no CDN, font,
    analytics or map from anywhere else, and the header keeps it that way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
