"""The member area: a member's roles, profile and their network's directory."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from modeltranslation.utils import build_localized_fieldname

from .. import services
from ..forms import ProfileForm, organisation_form_class
from ..models import Network, Organisation, Person, Role
from ..selectors import organisations_for_listing
from ..visibility import (
    active_roles,
    can_edit_organisation,
    is_secretariat,
    network_ids_of,
    organisations_visible_to,
)


def _person_of(user) -> Person:
    try:
        return user.person
    except Person.DoesNotExist as exc:
        raise PermissionDenied from exc


def _editable_networks(user) -> list[Network]:
    if is_secretariat(user):
        return list(Network.objects.all())
    network_ids = (
        active_roles(user)
        .filter(kind__in=[Role.Kind.DIRECTOR, Role.Kind.NETWORK_STAFF])
        .values_list("network_id", flat=True)
    )
    return list(Network.objects.filter(pk__in=network_ids))


@login_required
@require_http_methods(["GET", "POST"])
def profile(request):
    person = _person_of(request.user)
    form = ProfileForm(
        request.POST if request.method == "POST" else None,
        initial={
            "display_name": person.display_name,
            "preferred_language": person.preferred_language,
            # The bio in this page's language only: not the English fallback, which
            # would be saved back as a "translation".
            "bio": getattr(person, build_localized_fieldname("bio", get_language())) or "",
        },
    )
    if request.method == "POST" and form.is_valid():
        services.profile_update(person=person, **form.cleaned_data)
        messages.success(request, _("Your profile has been saved."))
        return redirect("portal:home")
    return render(request, "members/portal/profile.html", {"form": form, "person": person})


@login_required
def network_directory(request, slug):
    network = get_object_or_404(Network.objects.select_related("region"), slug=slug)
    if not is_secretariat(request.user) and network.pk not in network_ids_of(request.user):
        raise Http404
    organisations = organisations_for_listing(
        organisations_visible_to(request.user, network.organisations.all())
    )
    return render(
        request,
        "members/portal/network_directory.html",
        {
            "network": network,
            "organisations": organisations,
            "can_edit": network.pk in {n.pk for n in _editable_networks(request.user)},
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def organisation_edit(request, pk=None):
    networks = _editable_networks(request.user)
    if not networks:
        raise PermissionDenied
    if pk is None:
        organisation = Organisation(network=networks[0])
    else:
        visible = organisations_visible_to(request.user)
        organisation = get_object_or_404(visible, pk=pk)
        if not can_edit_organisation(request.user, organisation):
            raise Http404
    language = get_language()
    form = organisation_form_class(language)(
        request.POST if request.method == "POST" else None,
        instance=organisation,
        networks=networks,
        language=language,
    )
    if request.method == "POST" and form.is_valid():
        organisation = form.save(commit=False)
        services.organisation_save(
            organisation=organisation,
            editor=request.user,
            activities=form.cleaned_data["activities"],
            needs=form.cleaned_data["needs"],
        )
        messages.success(request, _("The directory entry has been saved."))
        return redirect("portal:network_directory", slug=organisation.network.slug)
    return render(
        request,
        "members/portal/organisation_form.html",
        {"form": form, "organisation": organisation},
    )
