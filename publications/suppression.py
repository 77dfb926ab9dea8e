"""Addresses that stay suppressed after their subscriber is erased.

Erasure deletes the address; but an address that bounced or complained must never
be mailed again, or a re-import would undo the suppression. So what is kept is an
HMAC of the normalised address with a key derived from SECRET_KEY: the portal can
tell that an address it is given again was suppressed, and nobody reading the
database (or a backup) can list the addresses. A plain hash would not do: a list
of known addresses is hashed in seconds.
"""

import unicodedata

from django.utils.crypto import salted_hmac

SALT = "publications.suppressed-address"


def normalised(email: str) -> str:
    # Addresses are compared case-insensitively everywhere in the portal.
    return unicodedata.normalize("NFKC", email).strip().lower()


def address_digest(email: str) -> str:
    return salted_hmac(SALT, normalised(email), algorithm="sha256").hexdigest()
