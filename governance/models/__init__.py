from .audit import AuditEntry
from .board import BoardSeat, Directorship
from .elections import Ballot, Candidate, Election, Participation, Receipt, Voter

__all__ = [
    "AuditEntry",
    "Ballot",
    "BoardSeat",
    "Candidate",
    "Directorship",
    "Election",
    "Participation",
    "Receipt",
    "Voter",
]
