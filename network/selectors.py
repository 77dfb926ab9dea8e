"""What consultation pages read."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, QuerySet

from .models import Answer, Consultation, Question, Response


def consultations_published() -> QuerySet[Consultation]:
    """Closed consultations whose summary the secretariat has published."""
    return Consultation.objects.filter(
        status=Consultation.Status.CLOSED, summary_published_at__isnull=False
    ).order_by("-closes_at")


@dataclass
class QuestionResult:
    question: Question
    # (label, count, percentage of the networks that answered this question)
    bars: list[tuple[str, int, int]] = field(default_factory=list)
    answered: int = 0
    average: float | None = None
    # (network, text or file answer)
    texts: list[tuple[object, Answer]] = field(default_factory=list)


def consultation_results(consultation: Consultation) -> list[QuestionResult]:
    """Per question: counts of each option or scale value, and every free-text or
    file answer with its network. Submitted responses only; constant queries."""
    responses = list(
        Response.objects.filter(consultation=consultation, status=Response.Status.SUBMITTED)
        .select_related("network")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.all()))
    )
    by_question: dict[int, list[tuple[Response, Answer]]] = {}
    for response in responses:
        for answer in response.answers.all():
            by_question.setdefault(answer.question_id, []).append((response, answer))
    results = []
    for question in consultation.questions.all():
        result = QuestionResult(question=question)
        answers = by_question.get(question.pk, [])
        if question.kind in Question.CHOICE_KINDS:
            counts = Counter(p for _r, a in answers for p in a.choices)
            result.answered = sum(1 for _r, a in answers if a.choices)
            labels = question.option_list()
            result.bars = [
                (label, counts[i], _percent(counts[i], result.answered))
                for i, label in enumerate(labels)
            ]
        elif question.kind == Question.Kind.SCALE:
            values = [a.scale for _r, a in answers if a.scale]
            counts = Counter(values)
            result.answered = len(values)
            result.bars = [
                (str(i), counts[i], _percent(counts[i], result.answered)) for i in range(1, 6)
            ]
            result.average = round(sum(values) / len(values), 1) if values else None
        else:
            result.texts = [
                (r.network, a)
                for r, a in answers
                if (a.text if question.kind != "file" else a.file)
            ]
            result.answered = len(result.texts)
        results.append(result)
    return results


def _percent(count: int, total: int) -> int:
    return round(100 * count / total) if total else 0
