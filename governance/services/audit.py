from django.db import models

from ..models import AuditEntry


def audit_record(
    *, actor, action: str, obj: models.Model, summary: str, data: dict | None = None
) -> AuditEntry:
    """Append one entry to the audit trail; call it inside the transaction that
    makes the change, so the change and its record commit together."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        summary=summary[:300],
        data=data or {},
    )
