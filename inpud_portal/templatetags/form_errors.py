"""Pages that tell everyone, screen readers first, that a form came back with errors."""

from django import template
from django.forms import BaseForm
from django.forms.formsets import BaseFormSet

register = template.Library()


def _has_errors(value) -> bool:
    # type(), not isinstance(): isinstance() asks a lazy value (the context's
    # csrf_token) for its __class__, which makes the token and sets the CSRF cookie
    # on every page, and then no public page can be cached.
    kind = type(value)
    if issubclass(kind, BaseForm):
        return value.is_bound and bool(value.errors)
    if issubclass(kind, BaseFormSet):
        return value.is_bound and not value.is_valid()
    return False


@register.simple_tag(takes_context=True)
def page_has_form_errors(context) -> bool:
    """Whether any form the view handed to the page has errors: base.html then starts
    the <title> with "Error:", the first thing a screen reader reads on arrival.
    Looking through the context finds a form whatever the view named it (form,
    question_form, allauth's forms...)."""
    return any(_has_errors(value) for layer in context.dicts for value in layer.values())
