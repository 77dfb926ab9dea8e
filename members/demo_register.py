"""Demo partners and skills records: a believable register to search."""

from django.db import transaction

from .models import Expertise, Partner, Person, Region, Role, SkillsRecord, Visibility

EXPERTISE = [
    (
        "community-mobilisation",
        "Community mobilisation",
        "Mobilisation communautaire",
        "Мобилизация сообществ",
        "حشد المجتمع",
    ),
    (
        "harm-reduction-services",
        "Harm-reduction service delivery",
        "Services de réduction des risques",
        "Услуги снижения вреда",
        "تقديم خدمات الحد من الضرر",
    ),
    (
        "global-fund",
        "Global Fund processes",
        "Processus du Fonds mondial",
        "Процессы Глобального фонда",
        "إجراءات الصندوق العالمي",
    ),
    (
        "un-advocacy",
        "Advocacy at the UN",
        "Plaidoyer à l’ONU",
        "Адвокация в ООН",
        "المناصرة في الأمم المتحدة",
    ),
    (
        "organisational-development",
        "Organisational development",
        "Développement organisationnel",
        "Организационное развитие",
        "التطوير المؤسسي",
    ),
    (
        "monitoring-evaluation",
        "Monitoring and evaluation",
        "Suivi et évaluation",
        "Мониторинг и оценка",
        "الرصد والتقييم",
    ),
    (
        "women-who-use-drugs",
        "Women who use drugs",
        "Femmes qui consomment des drogues",
        "Женщины, употребляющие наркотики",
        "النساء اللواتي يتعاطين المخدرات",
    ),
    ("drug-checking", "Drug checking", "Analyse de produits", "Проверка веществ", "فحص المواد"),
    ("legal-aid", "Legal aid", "Aide juridique", "Юридическая помощь", "المساعدة القانونية"),
]

PARTNERS = [
    (
        "unaids",
        "UNAIDS",
        Partner.Kind.UN_AGENCY,
        ["technical", "co-publisher"],
        Visibility.PUBLIC,
        ["un-advocacy", "monitoring-evaluation"],
    ),
    (
        "unodc",
        "UNODC",
        Partner.Kind.UN_AGENCY,
        ["co-publisher"],
        Visibility.PUBLIC,
        ["harm-reduction-services"],
    ),
    (
        "global-fund",
        "The Global Fund",
        Partner.Kind.DONOR,
        ["funder"],
        Visibility.PUBLIC,
        ["global-fund"],
    ),
    (
        "harm-reduction-international",
        "Harm Reduction International",
        Partner.Kind.INGO,
        ["ally", "co-publisher"],
        Visibility.PUBLIC,
        ["un-advocacy", "legal-aid"],
    ),
    (
        "quiet-foundation",
        "A private foundation (demo)",
        Partner.Kind.DONOR,
        ["funder"],
        Visibility.MEMBERS,
        ["organisational-development"],
    ),
]

# (network slug of a director, expertise, languages, region slugs, availability)
SKILLS = [
    ("enpud", ["drug-checking", "harm-reduction-services"], "en ru uk", ["eurasia"], "available"),
    (
        "menanpud",
        ["women-who-use-drugs", "community-mobilisation"],
        "ar en fr",
        ["mena"],
        "limited",
    ),
    ("lanpud", ["legal-aid", "un-advocacy"], "es pt en", [], "available"),
    ("napud", ["global-fund", "monitoring-evaluation"], "en ne hi", ["asia"], "available"),
]


@transaction.atomic
def demo_seed_register() -> None:
    areas = {}
    for position, (slug, en, fr, ru, ar) in enumerate(EXPERTISE):
        areas[slug], _ = Expertise.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": en,
                "name_fr": fr,
                "name_ru": ru,
                "name_ar": ar,
                "position": position,
            },
        )
    for slug, name, kind, relationships, visibility, focus in PARTNERS:
        partner, created = Partner.objects.get_or_create(
            slug=slug,
            defaults={
                "name_en": name,
                "kind": kind,
                "relationships": relationships,
                "visibility": visibility,
            },
        )
        if created:
            partner.focus_areas.set([areas[f] for f in focus])
    for network, expertise, languages, regions, availability in SKILLS:
        person = (
            Person.objects.filter(roles__kind=Role.Kind.DIRECTOR, roles__network__slug=network)
            .order_by("pk")
            .first()
        )
        if person is None or SkillsRecord.objects.filter(person=person).exists():
            continue
        record = SkillsRecord.objects.create(
            person=person,
            languages=f" {languages} ",
            availability=availability,
            visibility=Visibility.MEMBERS,
        )
        record.expertise.set([areas[e] for e in expertise])
        record.regions.set(Region.objects.filter(slug__in=regions))
