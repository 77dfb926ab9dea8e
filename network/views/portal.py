"""Consultations in the member area: drafting, answering for a network, results."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from inpud_portal.stored_files import stored_file_response

from ..exports import results_rows
from ..forms import (
    ConsultationDraftForm,
    QuestionDraftFormSet,
    initial_answers,
    response_form_class,
)
from ..models import Answer, Consultation, Response
from ..selectors import consultation_results
from ..services import consultations as services
from ..services.errors import ConsultationError


def _visible(request, pk) -> Consultation:
    consultation = services.consultations_for(request.user).filter(pk=pk).first()
    if consultation is None:
        raise Http404
    return consultation


@login_required
def consultation_list(request):
    consultations = services.consultations_for(request.user).order_by("-opens_at")
    return render(
        request,
        "network/portal/consultation_list.html",
        {"consultations": consultations, "can_draft": services.can_draft(request.user)},
    )


@login_required
def consultation_new(request):
    if not services.can_draft(request.user):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form = ConsultationDraftForm(data)
    questions = QuestionDraftFormSet(data, prefix="questions")
    if request.method == "POST" and form.is_valid() and questions.is_valid():
        asked = [q for q in questions.cleaned_data if q.get("text")]
        if not asked:
            form.add_error(None, _("Write at least one question."))
        else:
            try:
                consultation = services.consultation_draft(
                    actor=request.user,
                    networks=list(form.cleaned_data["networks"]),
                    **{k: v for k, v in form.cleaned_data.items() if k != "networks"},
                    questions=asked,
                )
            except ConsultationError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _(
                        "The draft is saved. The secretariat adds translations; "
                        "schedule it when it is ready."
                    ),
                )
                return redirect("portal:consultation", pk=consultation.pk)
    return render(
        request,
        "network/portal/consultation_new.html",
        {"form": form, "questions": questions},
    )


@login_required
def consultation_detail(request, pk):
    consultation = _visible(request, pk)
    networks = list(services.networks_answered_by(request.user, consultation))
    responses = {
        r.network_id: r
        for r in Response.objects.filter(
            consultation=consultation, network__in=networks
        ).select_related("updated_by", "submitted_by")
    }
    return render(
        request,
        "network/portal/consultation_detail.html",
        {
            "consultation": consultation,
            "questions": consultation.questions.all(),
            "answering": [(network, responses.get(network.pk)) for network in networks],
            "can_schedule": consultation.status == Consultation.Status.DRAFT
            and services.can_draft(request.user),
            "can_read_results": services.can_read_results(request.user),
            "consulted": services.consulted_networks(consultation),
        },
    )


@login_required
@require_POST
def consultation_schedule(request, pk):
    consultation = _visible(request, pk)
    if not services.can_draft(request.user):
        raise PermissionDenied
    try:
        services.consultation_schedule(consultation=consultation, actor=request.user)
    except ConsultationError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Scheduled: it opens and notifies the networks at its opening time.")
        )
    return redirect("portal:consultation", pk=pk)


@login_required
def response_edit(request, pk, network):
    consultation = _visible(request, pk)
    network = get_object_or_404(
        services.networks_answered_by(request.user, consultation), slug=network
    )
    response = (
        Response.objects.filter(consultation=consultation, network=network)
        .select_related("updated_by", "submitted_by")
        .prefetch_related(Prefetch("answers", queryset=Answer.objects.select_related("question")))
        .first()
    )
    questions = list(consultation.questions.all())
    form_class = response_form_class(questions)
    is_open = (
        consultation.status == Consultation.Status.OPEN and consultation.closes_at > timezone.now()
    )
    submitted = response is not None and response.status == Response.Status.SUBMITTED
    if request.method == "POST":
        action = request.POST.get("action", "save")
        try:
            if action == "reopen":
                services.response_reopen(
                    consultation=consultation, network=network, user=request.user
                )
                messages.success(
                    request,
                    _("The response is a draft again; submit it once more before the deadline."),
                )
                return redirect("portal:consultation_answer", pk=pk, network=network.slug)
            form = form_class(request.POST, request.FILES)
            if form.is_valid():
                answers = {
                    field.question.pk: form.cleaned_data[name]
                    for name, field in form.fields.items()
                    if field.question.kind != "file"
                }
                files = {
                    field.question.pk: form.cleaned_data[name]
                    for name, field in form.fields.items()
                    if field.question.kind == "file" and form.cleaned_data.get(name)
                }
                services.response_save(
                    consultation=consultation,
                    network=network,
                    user=request.user,
                    answers=answers,
                    files=files,
                    language=get_language(),
                )
                if action == "submit":
                    services.response_submit(
                        consultation=consultation, network=network, user=request.user
                    )
                    messages.success(
                        request, _("Submitted. You can reopen it until the consultation closes.")
                    )
                else:
                    messages.success(
                        request, _("Draft saved. Others who answer for your network see it too.")
                    )
                return redirect("portal:consultation_answer", pk=pk, network=network.slug)
        except ConsultationError as error:
            form = form_class(request.POST, request.FILES)
            form.is_valid()
            form.add_error(None, str(error))
    else:
        form = form_class(initial=initial_answers(response))
    if submitted or not is_open:
        for field in form.fields.values():
            field.disabled = True
    files = {a.question_id: a for a in (response.answers.all() if response else []) if a.file}
    return render(
        request,
        "network/portal/response_form.html",
        {
            "consultation": consultation,
            "network": network,
            "response": response,
            "form": form,
            "files": files,
            "is_open": is_open,
            "submitted": submitted,
        },
    )


def _results_reader(request, pk) -> Consultation:
    consultation = _visible(request, pk)
    if not services.can_read_results(request.user):
        raise PermissionDenied
    if consultation.status != Consultation.Status.CLOSED:
        raise Http404
    return consultation


@login_required
def consultation_results_page(request, pk):
    consultation = _results_reader(request, pk)
    return render(
        request,
        "network/portal/results.html",
        {
            "consultation": consultation,
            "results": consultation_results(consultation),
            "submitted": consultation.responses.filter(status=Response.Status.SUBMITTED)
            .select_related("network")
            .order_by("network__position"),
            "consulted_count": services.consulted_networks(consultation).count(),
        },
    )


@login_required
def consultation_results_csv(request, pk):
    consultation = _results_reader(request, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = slugify(consultation.title) or f"consultation-{consultation.pk}"
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    csv.writer(response).writerows(results_rows(consultation))
    return response


@login_required
def answer_file(request, pk):
    answer = get_object_or_404(
        Answer.objects.select_related("response__consultation", "response__network"), pk=pk
    )
    _visible(request, answer.response.consultation_id)
    if not services.answer_file_readable(user=request.user, answer=answer):
        raise Http404
    return stored_file_response(
        answer.file, as_attachment=True, filename=answer.file.name.rsplit("/", 1)[-1]
    )
