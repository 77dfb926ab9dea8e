"""Themes and audiences of the real library, and demo publications and subscribers."""

import datetime
import hashlib
import io

import pikepdf
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from .models import Audience, Publication, PublicationFile, Subscriber, Theme

LANGS = ("en", "fr", "es", "ru", "ar", "pt")

THEMES = [
    (
        "decriminalisation",
        (
            "Decriminalisation",
            "Dépénalisation",
            "Despenalización",
            "Декриминализация",
            "إلغاء التجريم",
            "Descriminalização",
        ),
    ),
    (
        "health-harm-reduction",
        (
            "Health and harm reduction",
            "Santé et réduction des risques",
            "Salud y reducción de daños",
            "Здоровье и снижение вреда",
            "الصحة والحد من الضرر",
            "Saúde e redução de danos",
        ),
    ),
    (
        "hiv-hepatitis-tb",
        (
            "HIV, viral hepatitis and TB",
            "VIH, hépatites virales et tuberculose",
            "VIH, hepatitis virales y tuberculosis",
            "ВИЧ, вирусные гепатиты и туберкулёз",
            "فيروس نقص المناعة البشرية والتهاب الكبد الفيروسي والسل",
            "VIH, hepatites virais e tuberculose",
        ),
    ),
    (
        "self-determination",
        (
            "Self-determination and meaningful involvement",
            "Autodétermination et participation significative",
            "Autodeterminación y participación significativa",
            "Самоопределение и значимое участие",
            "تقرير المصير والمشاركة الفعلية",
            "Autodeterminação e participação significativa",
        ),
    ),
    (
        "human-rights",
        (
            "Human rights",
            "Droits humains",
            "Derechos humanos",
            "Права человека",
            "حقوق الإنسان",
            "Direitos humanos",
        ),
    ),
    (
        "stigma-language",
        (
            "Stigma and language",
            "Stigmatisation et langage",
            "Estigma y lenguaje",
            "Стигма и язык",
            "الوصمة واللغة",
            "Estigma e linguagem",
        ),
    ),
    ("gender", ("Gender", "Genre", "Género", "Гендер", "النوع الاجتماعي", "Género")),
    (
        "funding",
        ("Funding", "Financement", "Financiación", "Финансирование", "التمويل", "Financiamento"),
    ),
]

AUDIENCES = [
    ("members", ("Members", "Membres", "Miembros", "Члены сети", "الأعضاء", "Membros"), True),
    ("donors", ("Donors", "Donateurs", "Donantes", "Доноры", "المانحون", "Doadores"), False),
    ("partners", ("Partners", "Partenaires", "Socios", "Партнёры", "الشركاء", "Parceiros"), True),
    (
        "decision-makers",
        (
            "Decision makers",
            "Décideurs",
            "Responsables de decisiones",
            "Лица, принимающие решения",
            "صانعو القرار",
            "Decisores",
        ),
        False,
    ),
    (
        "influencers",
        (
            "Influencers",
            "Relais d'opinion",
            "Personas influyentes",
            "Лидеры мнений",
            "المؤثرون",
            "Influenciadores",
        ),
        False,
    ),
    (
        "media",
        ("Media", "Médias", "Medios de comunicación", "СМИ", "وسائل الإعلام", "Comunicação social"),
        True,
    ),
]

PUBLICATIONS = [
    (
        "peer-drug-checking-brief",
        "technical-brief",
        2026,
        ["health-harm-reduction"],
        {
            "en": "Peer-led drug checking: a technical brief",
            "fr": "L'analyse de produits par les pairs : note technique",
            "es": "Análisis de sustancias entre pares: nota técnica",
        },
        "What community drug checking services need to work well and stay safe (demo text).",
        ["en", "fr"],
    ),
    (
        "decriminalisation-position",
        "position-paper",
        2025,
        ["decriminalisation", "human-rights"],
        {
            "en": "Why decriminalisation: a position paper",
            "ru": "Почему декриминализация: позиционный документ",
        },
        "The case for ending the criminalisation of people who use drugs (demo text).",
        ["en", "ru"],
    ),
    (
        "women-harm-reduction-toolkit",
        "toolkit",
        2024,
        ["gender", "health-harm-reduction"],
        {
            "en": "Gender-responsive harm reduction: a toolkit",
            "pt": "Redução de danos sensível ao género: guia prático",
            "ar": "الحد من الضرر المراعي للنوع الاجتماعي: دليل عملي",
        },
        "Practical steps for services that welcome women who use drugs (demo text).",
        ["en", "pt", "ar"],
    ),
]


def _demo_pdf(title: str) -> bytes:
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(595, 842))
    pdf.docinfo["/Title"] = title
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


@transaction.atomic
def demo_seed_publications() -> None:
    for slug, names in THEMES:
        Theme.objects.update_or_create(
            slug=slug, defaults={f"name_{code}": n for code, n in zip(LANGS, names, strict=True)}
        )
    for slug, names, public in AUDIENCES:
        Audience.objects.update_or_create(
            slug=slug,
            defaults={
                "public_signup": public,
                **{f"name_{code}": n for code, n in zip(LANGS, names, strict=True)},
            },
        )
    for slug, kind, year, themes, titles, summary, file_languages in PUBLICATIONS:
        publication, created = Publication.objects.get_or_create(
            slug=slug,
            defaults={
                "kind": kind,
                "published_on": datetime.date(year, 6, 26),
                "status": Publication.Status.PUBLISHED,
                "summary_en": summary,
                **{f"title_{code}": t for code, t in titles.items()},
            },
        )
        if not created:
            continue
        publication.themes.set(Theme.objects.filter(slug__in=themes))
        for language in file_languages:
            content = _demo_pdf(titles.get(language, titles["en"]))
            PublicationFile.objects.create(
                publication=publication,
                language=language,
                format="pdf",
                size=len(content),
                sha256=hashlib.sha256(content).hexdigest(),
                file=ContentFile(content, name="demo.pdf"),
            )
    members = Audience.objects.get(slug="members")
    for n, language in enumerate(LANGS):
        subscriber, created = Subscriber.objects.get_or_create(
            email=f"subscriber.{language}@example.org",
            defaults={
                "preferred_language": language,
                "consent_at": timezone.now(),
                "consent_source": "demo data",
                "confirmed_at": timezone.now(),
                "name": f"Demo reader {n + 1}",
            },
        )
        if created:
            subscriber.audiences.add(members)
