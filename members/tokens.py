from django.contrib.auth.tokens import PasswordResetTokenGenerator


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Django's reset token with its own salt: an invitation link cannot serve as a
    password-reset link or the other way round. Like a reset link it expires
    (PASSWORD_RESET_TIMEOUT, three days) and dies once a password is set."""

    key_salt = "inpud_portal.members.InvitationTokenGenerator"


invitation_tokens = InvitationTokenGenerator()
