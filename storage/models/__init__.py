"""Every table Knalle keeps; importing this package registers them all on `Base.metadata`."""

from storage.base import Base
from storage.models.audit import AuditEntry
from storage.models.ledger import (
    PendingCommand,
    ProcessedEvent,
    SeenRequest,
    SentMessage,
    Setting,
)
from storage.models.people import Staff
from storage.models.plan import (
    Activity,
    ActivityOwner,
    ActivityUpdate,
    Chapter,
    KeyFigure,
    KeyFigureValue,
    Plan,
    Section,
)
from storage.models.visits import (
    Company,
    CompanyAlias,
    RegisterVersion,
    Visit,
    VisitParticipant,
    VisitTheme,
)

__all__ = [
    "Activity",
    "ActivityOwner",
    "ActivityUpdate",
    "AuditEntry",
    "Base",
    "Chapter",
    "Company",
    "CompanyAlias",
    "KeyFigure",
    "KeyFigureValue",
    "PendingCommand",
    "Plan",
    "ProcessedEvent",
    "RegisterVersion",
    "Section",
    "SeenRequest",
    "SentMessage",
    "Setting",
    "Staff",
    "Visit",
    "VisitParticipant",
    "VisitTheme",
]
