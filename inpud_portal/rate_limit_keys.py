"""What rate limits count by, as it is written into the shared cache.

Rate limits count per client address and per account, and Redis keeps their
counters under keys made of what they count by. A plain IP address or email there
would be personal data in every Redis dump and replica; a plain hash would not
help, as every IPv4 address can be hashed in minutes. So keys hold an HMAC with a
key derived from SECRET_KEY: the same client always gets the same counter, and
nobody without the secret can tell whose counter it is.
"""

from django.utils.crypto import salted_hmac

SALT = "inpud_portal.rate_limit_keys"


def keyed_hash(value: str) -> str:
    return salted_hmac(SALT, value, algorithm="sha256").hexdigest()
