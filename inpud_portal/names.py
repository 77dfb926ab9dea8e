"""What a person's name must be: something a reader can see, shown as typed.

A name of only zero-width or blank characters shows as nothing in lists, emails
and the admin; a bidi control (U+202E RIGHT-TO-LEFT OVERRIDE and its kin) makes a
name display as different text from what it is, and reorders whatever follows it
on the page. Names in any script pass: Arabic and Hebrew need no control
characters, the browser orders them by itself.
"""

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

BIDI_CONTROLS = frozenset(
    "\u061c"  # ARABIC LETTER MARK
    "\u200e\u200f"  # LEFT-TO-RIGHT and RIGHT-TO-LEFT MARK
    "\u202a\u202b\u202c\u202d\u202e"  # embeddings, overrides and their POP
    "\u2066\u2067\u2068\u2069"  # isolates and their POP
)
# Control characters (NUL, tabs, line breaks) and halves of surrogate pairs.
CONTROL_CATEGORIES = ("Cc", "Cs")
# Letters, digits, punctuation and symbols; not separators, marks or formatting.
VISIBLE_CATEGORIES = ("L", "N", "P", "S")


def validate_name(value: str) -> None:
    if any(
        character in BIDI_CONTROLS or unicodedata.category(character) in CONTROL_CATEGORIES
        for character in value
    ):
        raise ValidationError(
            _(
                "This name contains invisible control characters, such as ones that "
                "change the direction of the text. Please type the name again without them."
            ),
            code="control_character",
        )
    if not any(unicodedata.category(character)[0] in VISIBLE_CATEGORIES for character in value):
        raise ValidationError(
            _("Enter a name with at least one visible letter, digit or sign."),
            code="invisible",
        )
