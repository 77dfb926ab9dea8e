from .audit import AuditEntry
from .board import BoardSeat, Directorship
from .elections import Ballot, Candidate, Election, Participation, Receipt, Voter
from .meetings import (
    AgendaItem,
    Attendance,
    CalendarFeed,
    Invitation,
    Meeting,
    Minutes,
    MinutesRevision,
    Motion,
    MotionVote,
    Paper,
)
from .sealing import ElectionTrustee, SealedBallot
from .strategy import KPI, KPIValue, StrategicObjective, StrategicPlan, WorkPlan, WorkPlanActivity

__all__ = [
    "KPI",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "Invitation",
    "KPIValue",
    "Meeting",
    "Minutes",
    "MinutesRevision",
    "Motion",
    "MotionVote",
    "Paper",
    "StrategicObjective",
    "StrategicPlan",
    "WorkPlan",
    "WorkPlanActivity",
    "AuditEntry",
    "Ballot",
    "BoardSeat",
    "Candidate",
    "Directorship",
    "Election",
    "ElectionTrustee",
    "Participation",
    "Receipt",
    "SealedBallot",
    "Voter",
]
