"""Consultations through the member area and the public site."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from network.models import Response
from network.services import consultations as services

from .conftest import answers_for, draft

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def portal(consultation, suffix=""):
    return f"/en/portal/consultations/{consultation.pk}/{suffix}"


def test_a_director_drafts_a_consultation_in_the_member_area(client, asia_director, napud):
    client.force_login(asia_director)
    form = {
        "title": "Harm reduction funding",
        "purpose": "What should the Board ask donors for?",
        "responders": "director",
        "opens_at": "2030-01-01T09:00",
        "closes_at": "2030-01-15T09:00",
        "summary_planned": "on",
        "questions-TOTAL_FORMS": "5",
        "questions-INITIAL_FORMS": "0",
        "questions-0-text": "Which donors?",
        "questions-0-kind": "multiple",
        "questions-0-options": "Global Fund\nUNITAID",
        "questions-1-text": "Anything else?",
        "questions-1-kind": "long",
        **{f"questions-{n}-kind": "short" for n in range(2, 5)},
    }
    response = client.post("/en/portal/consultations/new/", form)
    consultation = services.consultations_for(asia_director).get()
    assert response.status_code == 302 and response["Location"].endswith(portal(consultation))
    assert [q.text for q in consultation.questions.all()] == ["Which donors?", "Anything else?"]
    page = client.get(portal(consultation)).content.decode()
    assert "Schedule it to open" in page


def test_a_draft_with_bad_dates_is_refused_with_the_reason(client, asia_director):
    client.force_login(asia_director)
    response = client.post(
        "/en/portal/consultations/new/",
        {
            "title": "T",
            "purpose": "P",
            "responders": "director",
            "opens_at": "2030-01-15T09:00",
            "closes_at": "2030-01-01T09:00",
            "questions-TOTAL_FORMS": "1",
            "questions-INITIAL_FORMS": "0",
            "questions-0-text": "Q?",
            "questions-0-kind": "short",
        },
    )
    assert response.status_code == 200
    assert "Choose a closing time after the opening time." in response.content.decode()


def test_people_without_a_board_role_cannot_draft(client, napud_staff):
    client.force_login(napud_staff)
    assert client.get("/en/portal/consultations/new/").status_code == 403


def test_answering_saving_and_submitting_through_the_page(
    client, open_consultation, napud, napud_staff, asia_director
):
    client.force_login(napud_staff)
    questions = {q.position: q for q in open_consultation.questions.all()}
    url = portal(open_consultation, "answer/napud/")
    data = {
        f"q{questions[1].pk}": "0",
        f"q{questions[2].pk}": ["0", "2"],
        f"q{questions[3].pk}": "4",
        f"q{questions[4].pk}": "Fund peer outreach.",
        f"q{questions[5].pk}": SimpleUploadedFile("position.pdf", b"%PDF-1.4 position"),
        "action": "save",
    }
    assert client.post(url, data).status_code == 302
    client.force_login(asia_director)
    page = client.get(url).content.decode()
    assert "Fund peer outreach." in page and "last edited by Nima" in page
    assert client.post(url, {f"q{questions[1].pk}": "0", "action": "submit"}).status_code == 302
    response = Response.objects.get()
    assert response.status == "submitted" and response.submitted_by == asia_director.person
    page = client.get(url).content.decode()
    assert "Reopen to change it" in page and "disabled" in page


def test_a_network_never_sees_another_networks_answers(
    client, open_consultation, napud, asia_director, eurasia_director
):
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=asia_director,
        answers=answers_for(open_consultation, {4: "Our confidential view."}),
        files={
            open_consultation.questions.get(position=5).pk: SimpleUploadedFile(
                "napud.pdf", b"%PDF-1.4"
            )
        },
    )
    answer = Response.objects.get().answers.get(question__position=5)
    client.force_login(eurasia_director.person.user)
    # ENPUD's director is on the Board: results after closing, but never NAPUD's draft.
    assert client.get(portal(open_consultation, "answer/napud/")).status_code == 404
    assert client.get(portal(open_consultation, "results/")).status_code == 404  # still open
    client.logout()
    for url in (
        portal(open_consultation),
        portal(open_consultation, "answer/napud/"),
        f"/en/portal/consultations/files/{answer.pk}/",
        portal(open_consultation, "results.csv"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_results_for_the_board_after_closing_with_counts_in_text_and_csv(
    client, open_consultation, napud, enpud, asia_director, eurasia_director, napud_staff
):
    for user, network, choice, text in (
        (asia_director, napud, 0, "=HYPERLINK(1)"),
        (eurasia_director, enpud, 1, "Более ясный план."),
    ):
        services.response_save(
            consultation=open_consultation,
            network=network,
            user=user,
            answers=answers_for(open_consultation, {1: choice, 3: 5, 4: text}),
        )
        services.response_submit(consultation=open_consultation, network=network, user=user)
    services.consultation_close(consultation=open_consultation)
    client.force_login(napud_staff)
    assert client.get(portal(open_consultation, "results/")).status_code == 403
    client.force_login(asia_director)
    page = client.get(portal(open_consultation, "results/")).content.decode()
    assert "2 of 2 networks submitted a response." in page
    assert "Более ясный план." in page and "average 5.0" in page
    assert "<td>1</td><td>" in page  # one network chose each of the first two options
    rows = list(
        csv.reader(
            io.StringIO(client.get(portal(open_consultation, "results.csv")).content.decode())
        )
    )
    assert rows[0][:3] == ["Network", "Submitted", "Do you support the draft?"]
    assert rows[1][0] == "NAPUD" and rows[1][2] == "Yes" and rows[1][5] == "'=HYPERLINK(1)"
    assert rows[2][0] == "ENPUD" and rows[2][2] == "No"


def test_the_public_reads_only_a_published_summary(
    client, open_consultation, secretariat, napud, asia_director
):
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=asia_director,
        answers=answers_for(open_consultation, {4: "Private answer text."}),
    )
    services.consultation_close(consultation=open_consultation)
    assert client.get(f"/en/consultations/{open_consultation.pk}/").status_code == 404
    open_consultation.summary_en = "Networks asked for peer-led funding."
    open_consultation.summary_fr = "Les réseaux demandent un financement communautaire."
    open_consultation.save()
    services.summary_publish(consultation=open_consultation, actor=secretariat)
    listing = client.get("/fr/consultations/").content.decode()
    assert open_consultation.title in listing
    page = client.get(f"/fr/consultations/{open_consultation.pk}/").content.decode()
    assert "Les réseaux demandent un financement communautaire." in page
    assert "Private answer text." not in page
    english = client.get(f"/es/consultations/{open_consultation.pk}/").content.decode()
    assert 'lang="en"' in english and "Networks asked for peer-led funding." in english


def test_the_list_page_keeps_its_queries_constant(
    client, secretariat, asia_director, django_assert_max_num_queries
):
    client.force_login(asia_director)
    draft(secretariat)
    with django_assert_max_num_queries(20) as few:
        client.get("/en/portal/consultations/")
    for n in range(8):
        draft(secretariat, title=f"Consultation {n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get("/en/portal/consultations/").status_code == 200


def test_a_question_without_a_translation_is_marked_as_english(
    client, open_consultation, asia_director
):
    client.force_login(asia_director)
    page = client.get(f"/fr/portal/consultations/{open_consultation.pk}/answer/napud/").content
    assert '<span lang="en" dir="ltr">Do you support the draft?</span>' in page.decode()


def test_another_networks_file_waits_for_the_results(
    client, open_consultation, napud, asia_director, eurasia_director
):
    question = open_consultation.questions.get(position=5)
    services.response_save(
        consultation=open_consultation,
        network=napud,
        user=asia_director,
        answers=answers_for(open_consultation, {1: 0}),
        files={question.pk: SimpleUploadedFile("draft.pdf", b"%PDF-1.4")},
    )
    answer = Response.objects.get().answers.get(question=question)
    client.force_login(eurasia_director)
    assert client.get(f"/en/portal/consultations/files/{answer.pk}/").status_code == 404
    client.force_login(asia_director)
    assert client.get(f"/en/portal/consultations/files/{answer.pk}/").status_code == 200
    services.response_submit(consultation=open_consultation, network=napud, user=asia_director)
    services.consultation_close(consultation=open_consultation)
    client.force_login(eurasia_director)
    assert client.get(f"/en/portal/consultations/files/{answer.pk}/").status_code == 200


def test_only_document_files_are_taken(client, open_consultation, asia_director):
    client.force_login(asia_director)
    question = open_consultation.questions.get(position=5)
    response = client.post(
        f"/en/portal/consultations/{open_consultation.pk}/answer/napud/",
        {f"q{question.pk}": SimpleUploadedFile("run.exe", b"MZ"), "action": "save"},
    )
    assert response.status_code == 200 and not Response.objects.exists()
    assert "File extension “exe” is not allowed." in response.content.decode()
