import datetime

import pytest

from governance.models import BoardSeat, Directorship
from members.models import Role

from ..factories import NetworkFactory, RegionFactory, person_with_role


@pytest.fixture
def board(napud, enpud):
    seats = [
        BoardSeat.objects.create(network=napud, position=1),
        BoardSeat.objects.create(network=enpud, position=2),
    ]
    inwud = NetworkFactory(slug="inwud", acronym="INWUD", region=None)
    seats.append(BoardSeat.objects.create(network=inwud, position=9))
    chair = person_with_role(
        Role.Kind.DIRECTOR,
        network=napud,
        display_name="Moonlight",
        legal_name="Legal Name One",
        visibility="public",
        bio_en="Peer worker since 2009.",
    )
    private = person_with_role(
        Role.Kind.DIRECTOR, network=enpud, display_name="Hidden Hana", visibility="members"
    )
    today = datetime.date.today()
    Directorship.objects.create(
        seat=seats[0],
        person=chair,
        starts_on=today.replace(year=today.year - 1),
        officer=Directorship.Officer.CHAIR,
    )
    Directorship.objects.create(
        seat=seats[1], person=private, starts_on=today.replace(year=today.year - 1)
    )
    return seats


@pytest.mark.parametrize("lang", ["en", "fr", "es", "ru", "ar", "pt"])
def test_it_shows_the_current_board_in_every_language(client, board, lang):
    response = client.get(f"/{lang}/board/")

    assert response.status_code == 200
    assert len(response.context["seats"]) == 3


def test_it_shows_public_display_names_and_never_legal_names(client, board):
    body = client.get("/en/board/").content.decode()

    assert "Moonlight" in body
    assert "Peer worker since 2009." in body
    assert "Chair" in body
    assert "Legal Name One" not in body


def test_it_withholds_the_name_of_a_director_whose_profile_is_not_public(client, board):
    body = client.get("/en/board/").content.decode()

    assert "Hidden Hana" not in body
    assert "Director (name not published)" in body


def test_it_shows_a_vacant_seat_as_vacant(client, board):
    body = client.get("/en/board/").content.decode()

    assert "Vacant seat" in body


def test_it_shows_a_past_board(client, board):
    person = person_with_role(
        Role.Kind.DIRECTOR, network=board[2].network, display_name="Former F", visibility="public"
    )
    Directorship.objects.create(
        seat=board[2],
        person=person,
        starts_on=datetime.date(2018, 1, 1),
        ends_on=datetime.date(2019, 12, 31),
    )

    past = client.get("/en/board/2019/").content.decode()
    now = client.get("/en/board/").content.decode()

    assert "Former F" in past
    assert "Former F" not in now


def test_a_year_outside_the_record_is_a_404(client, board):
    assert client.get("/en/board/1999/").status_code == 404
    assert client.get("/en/board/3000/").status_code == 404


def test_the_board_page_runs_constant_queries(client, board, django_assert_max_num_queries):
    for n in range(10):
        network = NetworkFactory(region=RegionFactory())
        seat = BoardSeat.objects.create(network=network, position=10 + n)
        person = person_with_role(Role.Kind.DIRECTOR, network=network, visibility="public")
        Directorship.objects.create(seat=seat, person=person, starts_on=datetime.date(2020, 1, 1))

    with django_assert_max_num_queries(6):
        client.get("/en/board/")


def test_past_boards_are_listed_from_the_first_year_on_record(client, board):
    person = person_with_role(Role.Kind.DIRECTOR, network=board[2].network, display_name="Early")
    Directorship.objects.create(
        seat=board[2],
        person=person,
        starts_on=datetime.date(2012, 6, 1),
        ends_on=datetime.date(2014, 5, 31),
    )
    last_year = datetime.date.today().year - 1

    response = client.get("/en/board/")

    assert list(response.context["years"]) == list(range(last_year, 2011, -1))
    assert 'href="/en/board/2012/"' in response.content.decode()
    assert client.get("/en/board/2012/").status_code == 200
    assert client.get("/en/board/2011/").status_code == 404


def test_a_public_directors_photo_is_shown_and_a_private_ones_never(
    client, board, settings, tmp_path
):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    png = io.BytesIO()
    Image.new("RGB", (4, 4), "purple").save(png, format="PNG")
    public, private = (d.person for d in Directorship.objects.order_by("seat__position"))
    for person, name in [(public, "moonlight.png"), (private, "hana.png")]:
        person.photo.save(name, ContentFile(png.getvalue()), save=True)

    body = client.get("/en/board/").content.decode()

    assert f'<img src="{public.photo_url}"' in body
    assert private.photo_url not in body
    served = client.get(public.photo_url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content) == png.getvalue()
    # Not by its address either, nor through the media folder.
    assert client.get(private.photo_url).status_code == 404
    assert client.get(private.photo.url).status_code == 404
    assert client.get(public.photo_url.replace("moonlight", "other")).status_code == 404
