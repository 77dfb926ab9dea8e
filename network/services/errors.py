class ConsultationError(Exception):
    """A rule of consultations refused the step; the message says why, translated."""
