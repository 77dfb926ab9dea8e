from django.core.exceptions import ValidationError


class GovernanceError(ValidationError):
    """A refused governance operation; its message is shown to the person as is."""


class ElectionError(GovernanceError):
    """A refused election operation; its message is shown to the person as is."""
