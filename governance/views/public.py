import datetime

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page

from ..models import Candidate, Election
from ..selectors import board_incoming_starts, board_on, board_years
from ..services.elections import candidate_public_names

PUBLISHED = [s for s in Election.Status if s != Election.Status.DRAFT]


@public_page
# Seats and terms, and the people in them.
@cache_for_visitors(shows=("governance", "members"))
def board(request, year: int | None = None):
    today = timezone.localdate()
    years = board_years(today=today)
    incoming = board_incoming_starts(today=today)
    incoming_years = sorted({day.year for day in incoming})
    if year is None or year == today.year:
        on = today
    elif year in years:
        # A past board is shown as it stood at the end of that year.
        on = datetime.date(year, 12, 31)
    elif year in incoming_years:
        # A coming year's board as it will stand once its new terms have begun.
        on = max(day for day in incoming if day.year == year)
    else:
        raise Http404
    return render(
        request,
        "governance/board.html",
        {
            "seats": board_on(on=on),
            "on": on,
            "today": today,
            "year": year,
            "years": years,
            "incoming_years": incoming_years,
        },
    )


@public_page
@cache_for_visitors(shows=("governance", "members"))
def election(request, pk: int):
    election = get_object_or_404(
        Election.objects.select_related("seat__network", "network"), pk=pk, status__in=PUBLISHED
    )
    after_nominations = election.status not in (
        Election.Status.DRAFT,
        Election.Status.NOMINATIONS_OPEN,
    )
    candidates = (
        election.candidates.filter(status=Candidate.Status.ACCEPTED).select_related("person")
        if after_nominations
        else []
    )
    certified = election.status == Election.Status.CERTIFIED
    # The elected are named once certified: accepting a candidacy says so.
    names = candidate_public_names(
        election=election, elected=election.result["elected"] if certified else ()
    )
    # A count with nothing to count is never certified; the page says there is no
    # result rather than waiting for one.
    no_valid_ballots = (
        election.status == Election.Status.TALLIED
        and election.result is not None
        and not election.result["valid_ballots"]
    )
    return render(
        request,
        "governance/election.html",
        {
            "election": election,
            "candidates": candidates,
            # Counts exist only once certified: nothing partial is ever shown.
            "result": election.result if certified else None,
            "names": names,
            "no_valid_ballots": no_valid_ballots,
            "receipts": sorted(election.receipts.values_list("code", flat=True))
            if certified
            else [],
        },
    )


@public_page
def election_ballots(request, pk: int):
    election = get_object_or_404(Election, pk=pk, status=Election.Status.CERTIFIED)
    extension = "blt" if election.is_ranked else "csv"
    response = HttpResponse(election.ballots_file, content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="election-{election.pk}-ballots.{extension}"'
    )
    return response
