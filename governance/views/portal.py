"""Elections in the member area: nominating, standing, voting."""

import time
from functools import wraps
from urllib.parse import urlencode

from allauth.account import app_settings as account_settings
from allauth.account.decorators import reauthentication_required

# allauth 65 keeps the session's authentication records here (pinned in pyproject).
from allauth.account.internal.flows.login import get_authentication_records
from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from members.models import Person

from ..forms import BallotForm, CandidacyForm, NominationForm
from ..models import Candidate, Election
from ..selectors import election_electorate, elections_for_person, network_members
from ..services import elections as services


def _recent_mfa_reauthentication(request) -> bool:
    records = get_authentication_records(request, request.user)
    return any(
        record.get("method") == "mfa"
        and record.get("reauthenticated")
        and time.time() - record["at"] < account_settings.REAUTHENTICATION_TIMEOUT
        for record in records
    )


def mfa_reauthentication_required(view):
    """Before a ballot, a member with an authenticator re-enters a code from it, not
    only their password: a stolen session and password are not enough to vote."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if is_mfa_enabled(request.user) and not _recent_mfa_reauthentication(request):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
        return view(request, *args, **kwargs)

    return wrapper


def _person(request) -> Person:
    try:
        return request.user.person
    except Person.DoesNotExist as exc:
        raise PermissionDenied from exc


def _election_for(request, pk) -> tuple[Election, Person]:
    person = _person(request)
    election = elections_for_person(person=person).filter(pk=pk).first()
    if election is None:
        raise Http404
    return election, person


@login_required
def election_list(request):
    person = _person(request)
    return render(
        request,
        "governance/portal/election_list.html",
        {"elections": elections_for_person(person=person).order_by("-voting_open_at")},
    )


@login_required
def election_detail(request, pk):
    election, person = _election_for(request, pk)
    candidacy = election.candidates.filter(person=person).first()
    candidates = election.candidates.select_related("person", "nominated_by").exclude(
        status__in=[Candidate.Status.DECLINED, Candidate.Status.WITHDRAWN]
    )
    on_roll = election.roll.filter(person=person).exists()
    return render(
        request,
        "governance/portal/election_detail.html",
        {
            "election": election,
            "candidates": candidates,
            "candidacy": candidacy,
            "on_roll": on_roll,
            "has_voted": on_roll and services.has_voted(election=election, person=person),
            "can_nominate": election.status == Election.Status.NOMINATIONS_OPEN,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nominate(request, pk):
    election, person = _election_for(request, pk)
    if election.status != Election.Status.NOMINATIONS_OPEN:
        messages.error(request, _("Nominations are not open for this election."))
        return redirect("portal:election", pk=pk)
    # A network's members stand for its seat; the board stands for the Executive.
    if election.network_id:
        people = network_members(network=election.network)
    else:
        people = election_electorate(election=election)
    form = NominationForm(
        request.POST if request.method == "POST" else None, people=people.order_by("display_name")
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_nominate(
                election=election,
                person=form.cleaned_data["person"],
                nominated_by=person,
                actor=request.user,
            )
        except services.ElectionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The nomination has been recorded."))
            return redirect("portal:election", pk=pk)
    return render(request, "governance/portal/nominate.html", {"form": form, "election": election})


@login_required
@require_http_methods(["GET", "POST"])
def candidacy(request, pk):
    election, person = _election_for(request, pk)
    candidate = get_object_or_404(Candidate, election=election, person=person)
    form = CandidacyForm(
        request.POST if request.method == "POST" else None,
        initial={"statement": candidate.statement},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_respond(
                candidate=candidate,
                accept=form.cleaned_data["decision"] == "accept",
                statement=form.cleaned_data["statement"],
                actor=request.user,
            )
        except services.ElectionError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your answer has been recorded."))
            return redirect("portal:election", pk=pk)
    return render(
        request,
        "governance/portal/candidacy.html",
        {"form": form, "election": election, "candidate": candidate},
    )


@login_required
@reauthentication_required
@mfa_reauthentication_required
@require_http_methods(["GET", "POST"])
def vote(request, pk):
    election, person = _election_for(request, pk)
    candidates = list(
        election.candidates.filter(status=Candidate.Status.ACCEPTED)
        .select_related("person")
        .order_by("pk")
    )
    if services.has_voted(election=election, person=person):
        # The ballot is cast: the page says so instead of offering the form again.
        return render(request, "governance/portal/voted.html", {"election": election})
    form = BallotForm(
        request.POST if request.method == "POST" else None, election=election, candidates=candidates
    )
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.ballot_cast(
                election=election, voter=person, choices=form.cleaned_data["choices"]
            )
        except services.ElectionError as error:
            form.add_error(None, error)
        else:
            # Post, redirect, get: reloading the receipt never sends the ballot again.
            response = redirect("portal:receipt", pk=election.pk)
            _receipt_cookie_set(response, election=election, user=request.user, code=receipt.code)
            return response
    return render(request, "governance/portal/vote.html", {"form": form, "election": election})


RECEIPT_SALT = "governance.receipt"


def _receipt_cookie_name(election: Election, language: str) -> str:
    return f"receipt-{election.pk}-{language}"


def _receipt_cookie_set(response, *, election: Election, user, code: str) -> None:
    """The receipt code travels to the receipt page in a signed cookie, so its
    address names neither the voter nor the code (access logs keep addresses) and
    the server stores nothing linking them (sessions live in the database). The
    cookie is bound to the voter and ends with the browser session. There is one
    for each language's address of the page, so switching language keeps it."""
    value = signing.dumps({"u": user.pk, "c": code}, salt=RECEIPT_SALT)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            path = reverse("portal:receipt", kwargs={"pk": election.pk})
        response.set_cookie(
            _receipt_cookie_name(election, language),
            value,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Strict",
        )


@login_required
@require_http_methods(["GET"])
def receipt(request, pk):
    election, _voter = _election_for(request, pk)
    try:
        cookie = request.COOKIES[_receipt_cookie_name(election, translation.get_language())]
        data = signing.loads(cookie, salt=RECEIPT_SALT)
    except (KeyError, signing.BadSignature) as exc:
        raise Http404 from exc
    if data.get("u") != request.user.pk:
        raise Http404
    return render(
        request,
        "governance/portal/receipt.html",
        {"election": election, "receipt": {"code": data["c"]}},
    )
