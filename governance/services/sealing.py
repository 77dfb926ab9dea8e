"""The sealed ballot box: trustee keys, the election key, sealing and opening.

Why: a ballot row with no voter still carries the time it was written (row order,
`ctid`, `xmin`, the WAL record next to the voter's participation), and every backup
or WAL archive taken during a vote keeps it. Sealed, that order is harmless: the
content cannot be read without the election's private key, which exists only
while it is being made (when voting opens) and while the box is opened (at the
count), in memory.

1. Before voting opens, each trustee collects a key pair in the member area; the
   portal keeps the public half only.
2. When voting opens, the portal makes the election key pair, keeps its public
   half, splits the private half (Shamir, `trustee_threshold` of n) and stores each
   share sealed to its trustee's public key.
3. Each ballot and its receipt code are sealed together to the election key,
   padded to one size so lengths tell nothing.
4. At the count, trustees enter their keys one after the other. Each entry reads
   the trustee's share and the shares handed over by the trustees before them, and
   hands them all, sealed, to the trustees still to come: the portal never stores
   a share anyone else can read. The entry that reaches the threshold rebuilds the
   election key in memory, opens the ballots, shuffles ballots and receipt codes
   apart, stores them plain as before, deletes the sealed rows and forgets the key.
"""

import base64
import json
import secrets

import nacl.exceptions
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from nacl.public import PrivateKey, PublicKey, SealedBox

from .. import secret_sharing
from ..models import Ballot, Election, ElectionTrustee, Receipt, SealedBallot
from .audit import audit_record
from .errors import ElectionError

# Every sealed ballot has this many bytes inside, whatever its content: a long
# ranking must not be told from a short one by its size.
BALLOT_SIZE = 2048


def trustee_key_format(private_key: bytes) -> str:
    """Base 32 in groups of four: no letters that look alike, easy to write down."""
    text = base64.b32encode(private_key).decode().rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def trustee_key_parse(text: str) -> PrivateKey:
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    try:
        raw = base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))
    except ValueError as exc:
        raise ElectionError(_("This is not a trustee key: check what you typed.")) from exc
    if len(raw) != 32:
        raise ElectionError(_("This is not a trustee key: check what you typed."))
    return PrivateKey(raw)


def trustee_key_collect(*, trustee: ElectionTrustee, actor=None) -> str:
    """Make the trustee's key pair; return the private key, to be shown once.

    Refused a second time: the portal keeps no copy to show again."""
    with transaction.atomic(durable=True):
        election = Election.objects.select_for_update().get(pk=trustee.election_id)
        trustee = ElectionTrustee.objects.select_for_update().get(pk=trustee.pk)
        if election.voting_has_opened:
            raise ElectionError(_("Voting has opened: trustee keys can no longer be collected."))
        if trustee.key_collected_at is not None:
            raise ElectionError(
                _("You have already collected your trustee key; the portal keeps no copy of it.")
            )
        private_key = PrivateKey.generate()
        trustee.public_key = bytes(private_key.public_key)
        trustee.key_collected_at = timezone.now()
        trustee.save(update_fields=["public_key", "key_collected_at"])
        audit_record(
            actor=actor,
            action="election.trustee.key-collected",
            obj=election,
            summary=f"{election.title}: {trustee.person.display_name} collected a trustee key",
            data={"trustee": trustee.pk, "public_key": trustee.public_key.hex()},
        )
    return trustee_key_format(bytes(private_key))


def election_key_make(*, election: Election) -> dict:
    """Called inside the open-voting transition: make and split the election key.
    Returns what the audit entry records (public keys only)."""
    trustees = list(election.trustees.select_for_update().select_related("person"))
    missing = [t.person.display_name for t in trustees if t.public_key is None]
    if missing:
        raise ElectionError(
            _("Voting cannot open: these trustees have not collected their keys: %(names)s.")
            % {"names": ", ".join(missing)}
        )
    if election.trustee_threshold > len(trustees):
        message = _("Voting cannot open: %(threshold)d trustees open the box, %(named)d named.")
        raise ElectionError(
            message % {"threshold": election.trustee_threshold, "named": len(trustees)}
        )
    private_key = PrivateKey.generate()
    shares = secret_sharing.split(
        bytes(private_key), threshold=election.trustee_threshold, shares=len(trustees)
    )
    for trustee, share in zip(trustees, shares, strict=True):
        trustee.sealed_share = SealedBox(PublicKey(bytes(trustee.public_key))).encrypt(share)
        trustee.save(update_fields=["sealed_share"])
    election.ballot_public_key = bytes(private_key.public_key)
    del private_key, shares
    return {
        "ballot_public_key": election.ballot_public_key.hex(),
        "trustees": [t.pk for t in trustees],
        "trustee_threshold": election.trustee_threshold,
    }


def ballot_seal(*, election: Election, choices: list[int], code: str) -> bytes:
    plain = json.dumps({"c": choices, "r": code}, separators=(",", ":")).encode()
    if len(plain) > BALLOT_SIZE:
        raise ElectionError(_("This ballot is too long to be sealed."))
    box = SealedBox(PublicKey(bytes(election.ballot_public_key)))
    # Trailing spaces are JSON whitespace: the padding needs no length field.
    return box.encrypt(plain.ljust(BALLOT_SIZE, b" "))


def trustee_key_enter(*, trustee: ElectionTrustee, key: str, actor=None) -> bool:
    """A trustee gives their key at the count. Returns True when this opened the box
    (and the count has run), False while more trustees are needed."""
    with transaction.atomic(durable=True):
        election = Election.objects.select_for_update().get(pk=trustee.election_id)
        trustee = ElectionTrustee.objects.select_for_update().get(pk=trustee.pk)
        if election.status != Election.Status.VOTING_CLOSED or not election.box_is_sealed:
            raise ElectionError(_("The ballot box is not waiting for its trustees."))
        if trustee.share_entered_at is not None:
            raise ElectionError(_("You have already given your key for this count."))
        if trustee.sealed_share is None:
            raise ElectionError(_("You were named after voting opened: you hold no share."))
        private_key = trustee_key_parse(key)
        if bytes(private_key.public_key) != bytes(trustee.public_key):
            raise ElectionError(_("This is not your trustee key for this election."))
        unseal = SealedBox(private_key)
        try:
            shares = [unseal.decrypt(bytes(trustee.sealed_share))] + [
                unseal.decrypt(base64.b64decode(item)) for item in trustee.handed_over
            ]
        except nacl.exceptions.CryptoError as exc:
            raise ElectionError(_("This is not your trustee key for this election.")) from exc
        trustee.share_entered_at = timezone.now()
        trustee.handed_over = []
        trustee.save(update_fields=["share_entered_at", "handed_over"])
        audit_record(
            actor=actor,
            action="election.trustee.key-entered",
            obj=election,
            summary=f"{election.title}: {trustee.person.display_name} gave a trustee key",
            data={"trustee": trustee.pk, "shares_known": len(shares)},
        )
        opened = len(shares) >= election.trustee_threshold
        if opened:
            _box_open(election, shares, actor=actor)
        else:
            _shares_hand_over(election, shares)
        del private_key, shares
    if opened:
        from .elections import election_transition

        election_transition(election=election, transition="tally", actor=actor)
    return opened


def _shares_hand_over(election: Election, shares: list[bytes]) -> None:
    for waiting in election.trustees.select_for_update().filter(share_entered_at__isnull=True):
        box = SealedBox(PublicKey(bytes(waiting.public_key)))
        waiting.handed_over = [base64.b64encode(box.encrypt(share)).decode() for share in shares]
        waiting.save(update_fields=["handed_over"])


def _box_open(election: Election, shares: list[bytes], *, actor) -> None:
    try:
        private_key = PrivateKey(secret_sharing.combine(shares))
    except secret_sharing.ShareError as exc:
        raise ElectionError(_("The trustees' shares do not open this ballot box.")) from exc
    if bytes(private_key.public_key) != bytes(election.ballot_public_key):
        raise ElectionError(_("The trustees' shares do not open this ballot box."))
    box = SealedBox(private_key)
    opened = [
        json.loads(box.decrypt(bytes(sealed)))
        for sealed in election.sealed_ballots.values_list("sealed", flat=True)
    ]
    del private_key, box
    # Ballots and receipt codes are shuffled apart: the code a voter holds says
    # nothing about which ballot was theirs.
    rng = secrets.SystemRandom()
    choices = [item["c"] for item in opened]
    codes = [item["r"] for item in opened]
    rng.shuffle(choices)
    rng.shuffle(codes)
    SealedBallot.objects.filter(election=election).delete()
    Ballot.objects.bulk_create(Ballot(election=election, choices=c) for c in choices)
    Receipt.objects.bulk_create(Receipt(election=election, code=c) for c in codes)
    election.trustees.update(sealed_share=None, handed_over=[])
    election.box_opened_at = timezone.now()
    election.save(update_fields=["box_opened_at"])
    audit_record(
        actor=actor,
        action="election.box-opened",
        obj=election,
        summary=f"{election.title}: ballot box opened, {len(choices)} ballot(s)",
        data={"ballots": len(choices)},
    )
    if connection.vendor == "postgresql":
        transaction.on_commit(_vacuum_box)


def _vacuum_box() -> None:
    """Old row versions of the sealed ballots and of the trustees' shares go too."""
    tables = [m._meta.db_table for m in (SealedBallot, ElectionTrustee, Ballot, Receipt)]
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (FULL) {', '.join(tables)}")
