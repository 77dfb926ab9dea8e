"""Shamir's threshold secret sharing, for the election key.

Any `threshold` of the shares give back the secret; fewer give no information at
all about it (each value of the secret is equally likely). The field is the
integers modulo the Mersenne prime 2**521 - 1, larger than any 32-byte secret.
Kept small and in the portal: the PyPI packages for this are unmaintained or
single-author experiments, and the arithmetic is a few lines of Python integers.
"""

import secrets

PRIME = 2**521 - 1
SECRET_BYTES = 32
_Y_BYTES = 66  # 521 bits


class ShareError(ValueError):
    pass


def split(secret: bytes, *, threshold: int, shares: int) -> list[bytes]:
    """`shares` shares of a 32-byte secret, any `threshold` of which recover it."""
    if len(secret) != SECRET_BYTES:
        raise ShareError("The secret must be 32 bytes.")
    if not 1 <= threshold <= shares <= 255:
        raise ShareError("Need 1 <= threshold <= shares <= 255.")
    coefficients = [int.from_bytes(secret, "big")] + [
        secrets.randbelow(PRIME) for _ in range(threshold - 1)
    ]
    result = []
    for x in range(1, shares + 1):
        y = 0
        for coefficient in reversed(coefficients):
            y = (y * x + coefficient) % PRIME
        result.append(bytes([x]) + y.to_bytes(_Y_BYTES, "big"))
    return result


def combine(shares: list[bytes]) -> bytes:
    """The secret from at least `threshold` distinct shares (Lagrange at x = 0).
    Too few shares give a wrong value, not an error: check the result."""
    points = {}
    for share in shares:
        if len(share) != 1 + _Y_BYTES or share[0] == 0:
            raise ShareError("Not a share.")
        points[share[0]] = int.from_bytes(share[1:], "big")
    secret = 0
    for xi, yi in points.items():
        numerator, denominator = 1, 1
        for xj in points:
            if xj != xi:
                numerator = numerator * -xj % PRIME
                denominator = denominator * (xi - xj) % PRIME
        secret = (secret + yi * numerator * pow(denominator, -1, PRIME)) % PRIME
    if secret >= 1 << (8 * SECRET_BYTES):
        raise ShareError("These shares do not belong together.")
    return secret.to_bytes(SECRET_BYTES, "big")
