"""The partner and skills register: a person's own skills record, the searchable
register for directors and the secretariat, and the public list of partners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page

from .. import skills_register as register
from ..models import Person, SkillsRecord
from ..register_forms import RegisterFilterForm, SkillsForm


@login_required
def skills_edit(request):
    try:
        person = request.user.person
    except Person.DoesNotExist as exc:
        raise PermissionDenied from exc
    record = SkillsRecord.objects.filter(person=person).first()
    initial = {}
    if record is not None:
        initial = {
            "expertise": record.expertise.all(),
            "languages": record.language_codes,
            "regions": record.regions.all(),
            "availability": record.availability,
            "note": record.note,
            "visibility": record.visibility,
        }
    form = SkillsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            register.skills_save_own(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your skills record has been saved."))
            return redirect("portal:skills")
    return render(request, "members/portal/skills_form.html", {"form": form})


@login_required
def register_search(request):
    if not register.can_use_register(request.user):
        raise PermissionDenied
    form = RegisterFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    partners, records = register.register_search(
        user=request.user,
        expertise=filters.get("expertise"),
        language=filters.get("language", ""),
        region=filters.get("region"),
        kind=filters.get("kind", ""),
    )
    return render(
        request,
        "members/portal/register.html",
        {"form": form, "partners": partners, "records": records},
    )


@public_page
@cache_for_visitors
def partner_list(request):
    partners = register.partners_public().prefetch_related("regions", "focus_areas")
    return render(request, "members/partner_list.html", {"partners": partners})
