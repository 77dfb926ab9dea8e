from django import template

from ..needs_action import secretariat_sections as sections

register = template.Library()


@register.simple_tag(name="secretariat_sections")
def secretariat_sections():
    """What needs doing, for the admin index (templates/admin/index.html)."""
    return sections()
