"""Demo consultations, relative to today: one open that some networks are answering,
and one closed last quarter with a published summary."""

import datetime

from django.db import transaction
from django.utils import timezone

from members.models import Network, Person, Role

from .models import Consultation
from .services import consultations as services

QUESTIONS = [
    {
        "kind": "single",
        "text_en": "Should the Board make drug checking a priority of next year's work plan?",
        "text_fr": "Le Conseil doit-il faire de l’analyse de produits une priorité du plan de "
        "travail de l’an prochain ?",
        "text_ar": "هل ينبغي للمجلس أن يجعل فحص المواد أولوية في خطة عمل العام المقبل؟",
        "options_en": "Yes\nNo\nNot sure",
        "options_fr": "Oui\nNon\nJe ne sais pas",
        "options_ar": "نعم\nلا\nلست متأكدًا",
        "required": True,
    },
    {
        "kind": "multiple",
        "text_en": "Which kinds of support does your network need most?",
        "text_fr": "De quels types de soutien votre réseau a-t-il le plus besoin ?",
        "text_ar": "ما أنواع الدعم التي تحتاجها شبكتك أكثر من غيرها؟",
        "options_en": "Funding proposals\nGovernance and finance\nAdvocacy at the UN\nSafety "
        "and security",
        "options_fr": "Propositions de financement\nGouvernance et finances\nPlaidoyer à "
        "l’ONU\nSûreté et sécurité",
        "options_ar": "مقترحات التمويل\nالحوكمة والمالية\nالمناصرة في الأمم المتحدة\nالسلامة "
        "والأمن",
    },
    {
        "kind": "scale",
        "text_en": "How well does the draft work plan reflect your region?",
        "text_fr": "Dans quelle mesure le projet de plan de travail reflète-t-il votre région ?",
        "text_ar": "إلى أي مدى يعكس مشروع خطة العمل منطقتك؟",
        "help_text_en": "1: not at all, 5: fully.",
    },
    {
        "kind": "long",
        "text_en": "What should the Board change in the draft?",
        "text_fr": "Que doit changer le Conseil dans le projet ?",
        "text_ar": "ما الذي ينبغي للمجلس تغييره في المشروع؟",
    },
    {"kind": "file", "text_en": "Your network's position paper (optional)"},
]

ANSWERS = {
    "napud": (0, [0, 3], 4, "Add a line for legal aid after police crackdowns in the region."),
    "enpud": (0, [0, 1], 3, "Больше внимания опиоидной заместительной терапии в Центральной Азии."),
    "menanpud": (2, [2, 3], 3, "نحتاج إلى دعم في السلامة الرقمية قبل أي حملة علنية."),
    "lanpud": (1, [0], 2, "El plan debe nombrar la crisis de la cocaína fumable."),
    "inwud": (0, [3], 4, "Name women who use drugs in every objective, not in one line."),
}


def _responder(network: Network) -> Person | None:
    return (
        Person.objects.filter(roles__kind=Role.Kind.DIRECTOR, roles__network=network)
        .select_related("user")
        .order_by("pk")
        .first()
    )


def _secretariat() -> Person | None:
    return Person.objects.filter(roles__kind=Role.Kind.SECRETARIAT).select_related("user").first()


def demo_seed_network() -> None:
    now = timezone.now().replace(microsecond=0)
    staff = _secretariat()
    if staff is None or staff.user is None:
        return
    _demo_open(now, staff)
    _demo_closed(now, staff)


def _create(staff, *, title_en, title_fr, title_ar, purpose_en, purpose_fr, opens_at, closes_at):
    consultation = services.consultation_draft(
        actor=staff.user,
        title=title_en,
        purpose=purpose_en,
        opens_at=opens_at,
        closes_at=closes_at,
        responders=Consultation.Responders.DIRECTOR,
        questions=[dict(q) for q in QUESTIONS],
    )
    consultation.title_fr, consultation.title_ar = title_fr, title_ar
    consultation.purpose_fr = purpose_fr
    consultation.save()
    services.consultation_schedule(consultation=consultation, actor=staff.user)
    services.consultation_open(consultation=consultation)
    consultation.refresh_from_db()
    return consultation


def _answer(consultation, slug, *, submit: bool) -> None:
    network = Network.objects.filter(slug=slug).first()
    person = network and _responder(network)
    if person is None or person.user is None:
        return
    questions = {q.position: q.pk for q in consultation.questions.all()}
    single, several, scale, text = ANSWERS[slug]
    services.response_save(
        consultation=consultation,
        network=network,
        user=person.user,
        answers={
            questions[1]: single,
            questions[2]: several,
            questions[3]: scale,
            questions[4]: text,
        },
        language=person.preferred_language,
    )
    if submit:
        services.response_submit(consultation=consultation, network=network, user=person.user)


def _demo_open(now, staff) -> None:
    if Consultation.objects.filter(status=Consultation.Status.OPEN, closes_at__gt=now).exists():
        return
    year = timezone.localdate(now).year + 1
    consultation = _create(
        staff,
        title_en=f"Work plan priorities {year}",
        title_fr=f"Priorités du plan de travail {year}",
        title_ar=f"أولويات خطة العمل {year}",
        purpose_en="Before the Board approves next year's work plan, it asks each member "
        "network what its region needs most.",
        purpose_fr="Avant d’approuver le plan de travail de l’an prochain, le Conseil demande à "
        "chaque réseau membre ce dont sa région a le plus besoin.",
        opens_at=now - datetime.timedelta(days=3),
        closes_at=now + datetime.timedelta(days=11),
    )
    _answer(consultation, "napud", submit=True)
    _answer(consultation, "menanpud", submit=False)


@transaction.atomic
def _demo_closed(now, staff) -> None:
    if Consultation.objects.filter(summary_published_at__isnull=False).exists():
        return
    consultation = _create(
        staff,
        title_en="Community-led monitoring of harm reduction services",
        title_fr="Suivi communautaire des services de réduction des risques",
        title_ar="الرصد المجتمعي لخدمات الحد من الضرر",
        purpose_en="The Board asked how networks monitor the services their communities use, "
        "and what support would help.",
        purpose_fr="Le Conseil a demandé comment les réseaux suivent les services utilisés par "
        "leurs communautés, et quel soutien les aiderait.",
        opens_at=now - datetime.timedelta(days=1),
        closes_at=now + datetime.timedelta(days=1),
    )
    for slug in ANSWERS:
        _answer(consultation, slug, submit=True)
    services.consultation_close(consultation=consultation)
    # Demo history: the consultation ran last quarter.
    Consultation.objects.filter(pk=consultation.pk).update(
        opens_at=now - datetime.timedelta(days=75), closes_at=now - datetime.timedelta(days=45)
    )
    consultation.refresh_from_db()
    consultation.summary_en = (
        "Five networks answered. Most want drug checking in next year's work plan, and "
        "every region asked for help with safety and security before public campaigns."
    )
    consultation.summary_fr = (
        "Cinq réseaux ont répondu. La plupart souhaitent l’analyse de produits dans le plan de "
        "travail de l’an prochain, et chaque région a demandé de l’aide en matière de sûreté "
        "et de sécurité avant les campagnes publiques."
    )
    consultation.summary_ar = (
        "أجابت خمس شبكات. يريد معظمها إدراج فحص المواد في خطة عمل العام المقبل، وطلبت كل "
        "منطقة المساعدة في السلامة والأمن قبل الحملات العلنية."
    )
    consultation.save()
    services.summary_publish(consultation=consultation, actor=staff.user)
