from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page

from ..models import KPI, StrategicObjective, StrategicPlan


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
    return render(request, "governance/strategy.html", {"plan": plan})
