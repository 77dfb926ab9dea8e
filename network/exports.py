"""A closed consultation's submitted responses as CSV rows, one per network."""

from collections.abc import Iterator

from django.utils.translation import gettext as _

from inpud_portal.spreadsheet import spreadsheet_cell

from .models import Answer, Consultation, Question, Response


def _answer_text(question: Question, answer: Answer | None) -> str:
    if answer is None:
        return ""
    if question.kind in Question.CHOICE_KINDS:
        labels = question.option_list()
        return "; ".join(labels[p] for p in answer.choices if p < len(labels))
    if question.kind == Question.Kind.SCALE:
        return str(answer.scale or "")
    if question.kind == Question.Kind.FILE:
        return answer.file.name.rsplit("/", 1)[-1] if answer.file else ""
    return answer.text


def results_rows(consultation: Consultation) -> Iterator[list[str]]:
    questions = list(consultation.questions.all())
    yield [_("Network"), _("Submitted")] + [spreadsheet_cell(q.text) for q in questions]
    responses = (
        consultation.responses.filter(status=Response.Status.SUBMITTED)
        .select_related("network")
        .prefetch_related("answers")
        .order_by("network__position")
    )
    for item in responses:
        answers = {a.question_id: a for a in item.answers.all()}
        submitted = item.submitted_at.isoformat() if item.submitted_at else ""
        yield [item.network.acronym, submitted] + [
            spreadsheet_cell(_answer_text(q, answers.get(q.pk))) for q in questions
        ]
