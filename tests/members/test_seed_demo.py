from django.apps import apps
from django.core.management import call_command
from django.test import override_settings

from members.models import Network, Region, Role, User
from members.selectors import roles_current


def test_it_loads_the_real_regions_and_networks(db):
    call_command("seed_demo", verbosity=0)

    assert Region.objects.count() == 8
    assert sorted(Network.objects.values_list("acronym", flat=True)) == sorted(
        [
            "NAPUD",
            "ENPUD",
            "EuroNPUD",
            "AfricaNPUD",
            "LANPUD",
            "PANPUD",
            "NANPUD",
            "MENANPUD",
            "INWUD",
        ]
    )
    assert Network.objects.get(acronym="INWUD").region is None
    assert Network.objects.get(acronym="MENANPUD").region.name_ar == "الشرق الأوسط وشمال أفريقيا"
    assert Network.objects.get(acronym="NAPUD").former_names.get().acronym == "ANPUD"
    for network in Network.objects.all():
        assert network.organisations.count() >= 2
        assert network.endorsements.count() == 2
        # One director in office; NAPUD's came from the demo's certified election.
        assert roles_current().filter(network=network, kind=Role.Kind.DIRECTOR).count() == 1


def every_count() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_it_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    first = every_count()

    call_command("seed_demo", verbosity=0)

    # No table of any app grows on a second run.
    assert every_count() == first


@override_settings(DEBUG=True)
def test_it_prints_demo_logins_when_debug_is_on(db, capsys):
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "secretariat@example.org" in out
    assert "demo-passphrase-2026" in out
    assert User.objects.get(email="secretariat@example.org").check_password("demo-passphrase-2026")
    assert User.objects.get(email="secretariat@example.org").is_staff


def test_it_prints_and_sets_no_password_when_debug_is_off(db, capsys):
    call_command("seed_demo")

    out = capsys.readouterr().out
    assert "demo-passphrase-2026" not in out
    assert not User.objects.get(email="secretariat@example.org").has_usable_password()
