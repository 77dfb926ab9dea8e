"""How a published count's numbers are written for readers of the results page."""

from fractions import Fraction

from django import template
from django.template.defaultfilters import floatformat
from django.utils.formats import number_format
from django.utils.html import format_html

register = template.Library()

# Fractional totals (only a single transferable vote count has them: a surplus passes
# on as parts of votes) are shown to this many decimal places; election.html says
# "two decimal places" in words: change both together.
DECIMAL_PLACES = 2


@register.filter
def votes(value: dict) -> str:
    """A count as stored with the result ({"exact": "17/3", "approx": 5.67}): a whole
    number as such ("3", not "3.00"), a fraction rounded to DECIMAL_PLACES and
    marked up with its exact value, both written the reader's language's way."""
    exact = Fraction(value["exact"])
    if exact.denominator == 1:
        return number_format(exact.numerator, use_l10n=True)
    return format_html(
        '<data value="{}">{}</data>', value["exact"], floatformat(float(exact), DECIMAL_PLACES)
    )


@register.filter
def has_fractions(result: dict) -> bool:
    """Whether any total or quota of the result is not a whole number."""
    values = [count for round_ in result["rounds"] for count in round_["counts"].values()]
    if result.get("quota"):
        values.append(result["quota"])
    return any(Fraction(value["exact"]).denominator != 1 for value in values)
