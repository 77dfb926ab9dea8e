from .consultations import Answer, Consultation, ConsultationEvent, Question, Response

__all__ = ["Answer", "Consultation", "ConsultationEvent", "Question", "Response"]
