"""Member-area forms: drafting a consultation, and a network's answers."""

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from inpud_portal.templatetags.site_tags import translated
from members.models import Network

from .models import Consultation, Question


class ConsultationDraftForm(forms.ModelForm):
    opens_at = forms.DateTimeField(
        label=_("Opens (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    closes_at = forms.DateTimeField(
        label=_("Closes (UTC)"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"})
    )
    networks = forms.ModelMultipleChoiceField(
        label=_("Networks consulted"),
        queryset=Network.objects.exclude(status=Network.Status.FORMER).order_by("position"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave all unticked to consult every member network."),
    )

    class Meta:
        model = Consultation
        fields = ["title", "purpose", "responders", "opens_at", "closes_at", "summary_planned"]

    def clean(self):
        cleaned = super().clean()
        opens, closes = cleaned.get("opens_at"), cleaned.get("closes_at")
        if opens and closes and opens >= closes:
            self.add_error("closes_at", _("Choose a closing time after the opening time."))
        return cleaned


class QuestionDraftForm(forms.Form):
    text = forms.CharField(label=_("Question"), max_length=500, required=False)
    kind = forms.ChoiceField(label=_("Kind of answer"), choices=Question.Kind.choices)
    options = forms.CharField(
        label=_("Options, one per line"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("Only for choice questions."),
    )
    required = forms.BooleanField(label=_("An answer is required"), required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("text") and cleaned.get("kind") in Question.CHOICE_KINDS:
            options = [o for o in (cleaned.get("options") or "").splitlines() if o.strip()]
            if len(options) < 2:
                self.add_error("options", _("Write at least two options, one per line."))
        return cleaned


QuestionDraftFormSet = forms.formset_factory(QuestionDraftForm, extra=5, max_num=40)


ANSWER_FILE_TYPES = ["pdf", "doc", "docx", "odt", "rtf", "txt"]
ANSWER_FILE_MAX_BYTES = 20 * 1024 * 1024


def _at_most(limit: int):
    def check(upload):
        if upload.size > limit:
            raise ValidationError(_("The file is larger than 20 MB."))

    return check


def response_form_class(questions):
    """A form with one field per question, named by the question's id."""
    fields = {}
    for question in questions:
        name = f"q{question.pk}"
        common = {
            # Text that falls back to English is marked lang="en" for screen readers.
            "label": translated(question, "text"),
            "required": False,
            "help_text": translated(question, "help_text"),
        }
        kind = question.kind
        if kind == Question.Kind.SHORT:
            field = forms.CharField(max_length=500, **common)
        elif kind == Question.Kind.LONG:
            field = forms.CharField(widget=forms.Textarea(attrs={"rows": 6}), **common)
        elif kind == Question.Kind.SINGLE:
            field = forms.TypedChoiceField(
                choices=list(enumerate(question.option_list())),
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        elif kind == Question.Kind.MULTIPLE:
            field = forms.TypedMultipleChoiceField(
                choices=list(enumerate(question.option_list())),
                coerce=int,
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        elif kind == Question.Kind.SCALE:
            field = forms.TypedChoiceField(
                choices=[(i, str(i)) for i in range(1, 6)],
                coerce=int,
                empty_value=None,
                widget=forms.RadioSelect,
                **common,
            )
        else:
            field = forms.FileField(
                validators=[
                    FileExtensionValidator(ANSWER_FILE_TYPES),
                    _at_most(ANSWER_FILE_MAX_BYTES),
                ],
                help_text=_("PDF, Word, OpenDocument or text; at most 20 MB."),
                **{k: v for k, v in common.items() if k != "help_text"},
            )
        field.question = question
        fields[name] = field
    return type("ResponseForm", (forms.Form,), fields)


def initial_answers(response) -> dict:
    if response is None:
        return {}
    initial = {}
    for answer in response.answers.all():
        kind = answer.question.kind
        name = f"q{answer.question_id}"
        if kind in (Question.Kind.SHORT, Question.Kind.LONG):
            initial[name] = answer.text
        elif kind == Question.Kind.SINGLE:
            initial[name] = answer.choices[0] if answer.choices else None
        elif kind == Question.Kind.MULTIPLE:
            initial[name] = answer.choices
        elif kind == Question.Kind.SCALE:
            initial[name] = answer.scale
    return initial
