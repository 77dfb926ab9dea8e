"""Marking views as public pages.

A public page shows only public data, so anybody may see it, including a member who
has not finished setting up two-factor authentication. Every other view is closed
to such a member (see members.middleware.RequireMFAMiddleware): forgetting the mark
hides a page, it never exposes one.
"""


def public_page(view):
    view.public_page = True
    return view


def is_public_page(view) -> bool:
    return getattr(view, "public_page", False) or getattr(
        getattr(view, "view_class", None), "public_page", False
    )
