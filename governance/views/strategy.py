from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page

from ..models import KPI, StrategicObjective, StrategicPlan
from ..selectors import directorships_current, work_plans_approved, work_plans_for_directors


@public_page
@cache_for_visitors(shows=("governance",))
def strategy(request):
    year = timezone.localdate().year
    plans = StrategicPlan.objects.prefetch_related(
        Prefetch(
            "objectives",
            queryset=StrategicObjective.objects.prefetch_related(
                Prefetch("kpis", queryset=KPI.objects.prefetch_related("values"))
            ),
        )
    )
    plan = plans.filter(start_year__lte=year, end_year__gte=year).first() or plans.first()
    if plan is None:
        raise Http404
    return render(
        request,
        "governance/strategy.html",
        {"plan": plan, "work_plans": work_plans_approved(plan=plan)},
    )


@login_required
def portal_work_plans(request):
    """Directors read the work plans they approve, drafts included; the secretariat
    reads them too (it writes them in the admin)."""
    person = getattr(request.user, "person", None)
    is_director = person is not None and directorships_current().filter(person=person).exists()
    if not (is_director or request.user.is_staff):
        raise PermissionDenied
    return render(
        request,
        "governance/portal/work_plans.html",
        {"work_plans": work_plans_for_directors(), "today": timezone.localdate()},
    )
