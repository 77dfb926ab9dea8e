"""Django groups that mirror the roles people hold.

Roles are the source of truth; groups and the staff flag follow from them, so the
admin's permission system and the member area agree on who may do what.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from .models import Role

GROUP_NAMES = {
    Role.Kind.SECRETARIAT: "Secretariat",
    Role.Kind.DIRECTOR: "Board directors",
    Role.Kind.NETWORK_STAFF: "Network staff",
    Role.Kind.VOTING_DELEGATE: "Voting delegates",
}

# The secretariat runs the portal through the admin: every permission of these apps.
SECRETARIAT_APPS = ["members", "governance", "publications", "pages", "network", "account", "mfa"]
# The outbox screen: read it, and send failed rows again (inpud_portal/admin.py).
SECRETARIAT_OUTBOX = ["view_outboxmessage", "change_outboxmessage"]


def groups_ensure() -> dict[str, Group]:
    """Create the role groups and give the secretariat its permissions; safe to repeat."""
    groups = {kind: Group.objects.get_or_create(name=name)[0] for kind, name in GROUP_NAMES.items()}
    secretariat_permissions = Permission.objects.filter(
        Q(content_type__app_label__in=SECRETARIAT_APPS)
        | Q(content_type__app_label="inpud_portal", codename__in=SECRETARIAT_OUTBOX)
    ).exclude(content_type__app_label="members", content_type__model="user", codename="delete_user")
    groups[Role.Kind.SECRETARIAT].permissions.set(secretariat_permissions)
    return groups
