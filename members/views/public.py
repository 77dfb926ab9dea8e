from itertools import groupby

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from inpud_portal.page_cache import cache_for_visitors
from inpud_portal.public_pages import public_page
from inpud_portal.stored_images import image_response

from ..models import Network, Organisation, Person, Visibility
from ..selectors import network_profile, networks_for_directory


@public_page
@cache_for_visitors(shows=("members",))
def network_list(request):
    networks = list(networks_for_directory())
    # Regional networks under their region, global networks (INWUD) after them.
    regional = [n for n in networks if n.region_id]
    global_networks = [n for n in networks if not n.region_id]
    return render(
        request,
        "members/network_list.html",
        {"regional_networks": regional, "global_networks": global_networks},
    )


@public_page
@cache_for_visitors(shows=("members",))
def network_detail(request, slug):
    try:
        network = network_profile(slug=slug)
    except Network.DoesNotExist as exc:
        raise Http404 from exc
    # Sorted by country name in the visitor's language, not by ISO code. Names and
    # kind labels are translated once per page, not once per organisation.
    country_names, kind_labels = {}, {k: str(label) for k, label in Organisation.Kind.choices}
    for organisation in network.public_organisations:
        code = organisation.country.code
        if code not in country_names:
            country_names[code] = organisation.country.name
        organisation.country_name = country_names[code]
        organisation.kind_label = kind_labels.get(organisation.kind, organisation.kind)
    organisations = sorted(network.public_organisations, key=lambda o: (o.country_name, o.name))
    organisations_by_country = [
        (country, list(orgs))
        for country, orgs in groupby(organisations, key=lambda o: o.country_name)
    ]
    return render(
        request,
        "members/network_detail.html",
        {"network": network, "organisations_by_country": organisations_by_country},
    )


@public_page
def person_photo(request, pk, name):
    # The same rule as the board page: a photo is public when the profile is.
    person = get_object_or_404(Person, pk=pk, visibility=Visibility.PUBLIC)
    return image_response(person.photo, name=name)
