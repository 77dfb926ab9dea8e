"""The trustee's page in the member area: collect a key before voting opens, give
it back at the count. Keys are never stored: the page that shows one is the only
place it appears, and it is never cached."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from members.models import Person

from ..forms import TrusteeKeyForm
from ..models import ElectionTrustee
from ..services import sealing
from ..services.errors import ElectionError


def _trustee(request, pk) -> ElectionTrustee:
    try:
        person = request.user.person
    except Person.DoesNotExist as exc:
        raise PermissionDenied from exc
    return get_object_or_404(
        ElectionTrustee.objects.select_related("election", "person"), election_id=pk, person=person
    )


def _page(request, trustee, **context):
    waiting = trustee.election.trustees.filter(share_entered_at__isnull=True).count()
    entered = trustee.election.trustees.count() - waiting
    return render(
        request,
        "governance/portal/trustee.html",
        {
            "trustee": trustee,
            "election": trustee.election,
            "entered": entered,
            "needed": max(trustee.election.trustee_threshold - entered, 0),
        }
        | context,
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def trustee(request, pk):
    trustee = _trustee(request, pk)
    form = TrusteeKeyForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            opened = sealing.trustee_key_enter(
                trustee=trustee, key=form.cleaned_data["key"], actor=request.user
            )
        except ElectionError as error:
            form.add_error("key", error)
        else:
            if opened:
                messages.success(request, _("The ballot box is open and the votes are counted."))
            else:
                messages.success(request, _("Your key is recorded. More trustees are needed."))
            return redirect("portal:trustee", pk=pk)
    return _page(request, trustee, form=form)


@never_cache
@login_required
@require_http_methods(["POST"])
def trustee_key_collect(request, pk):
    """Answers the POST with the key itself instead of redirecting: a GET after a
    redirect would need the key stored somewhere to show it."""
    trustee = _trustee(request, pk)
    try:
        key = sealing.trustee_key_collect(trustee=trustee, actor=request.user)
    except ElectionError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("portal:trustee", pk=pk)
    trustee.refresh_from_db()
    return _page(request, trustee, key=key, form=TrusteeKeyForm())
