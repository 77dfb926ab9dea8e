"""The network's real structure, and demo records written for this project.

Regions and member networks are the real ones. Organisations, people and dates of
endorsement are invented for the demo: they describe no real group or person.
"""

LANGS = ("en", "fr", "es", "ru", "ar", "pt")

REGIONS = [
    ("asia", ("Asia", "Asie", "Asia", "Азия", "آسيا", "Ásia")),
    ("eurasia", ("Eurasia", "Eurasie", "Eurasia", "Евразия", "أوراسيا", "Eurásia")),
    ("europe", ("Europe (EU+)", "Europe (UE+)", "Europa (UE+)", "Европа (ЕС+)", "أوروبا (الاتحاد الأوروبي+)", "Europa (UE+)")),
    (
        "sub-saharan-africa",
        (
            "Sub-Saharan Africa",
            "Afrique subsaharienne",
            "África subsahariana",
            "Африка к югу от Сахары",
            "أفريقيا جنوب الصحراء الكبرى",
            "África Subsariana",
        ),
    ),
    ("latin-america", ("Latin America", "Amérique latine", "América Latina", "Латинская Америка", "أمريكا اللاتينية", "América Latina")),
    ("pacific", ("The Pacific", "Pacifique", "Pacífico", "Тихоокеанский регион", "منطقة المحيط الهادئ", "Pacífico")),
    ("north-america", ("North America", "Amérique du Nord", "América del Norte", "Северная Америка", "أمريكا الشمالية", "América do Norte")),
    (
        "mena",
        (
            "Middle East and North Africa",
            "Moyen-Orient et Afrique du Nord",
            "Oriente Medio y Norte de África",
            "Ближний Восток и Северная Африка",
            "الشرق الأوسط وشمال أفريقيا",
            "Médio Oriente e Norte de África",
        ),
    ),
]

# (slug, acronym, region slug or None, name, description, former names)
NETWORKS = [
    (
        "napud", "NAPUD", "asia", "Network of Asian People who Use Drugs",
        "The regional network of people who use drugs across South, South-East and East "
        "Asia. It brings national networks together to push back against compulsory "
        "detention, the death penalty for drug offences and punitive policing.",
        [("Asian Network of People who use Drugs", "ANPUD", None, None)],
    ),
    (
        "enpud", "ENPUD", "eurasia", "Eurasian Network of People who Use Drugs",
        "The network of people who use drugs in Eastern Europe and Central Asia, where "
        "opioid agonist therapy is scarce or banned and HIV and hepatitis C keep rising.",
        [],
    ),
    (
        "euronpud", "EuroNPUD", "europe", "European Network of People who Use Drugs",
        "The network of drug user organisations across the European Union and its "
        "neighbours, working on drug checking, decriminalisation and peer-run services.",
        [],
    ),
    (
        "africanpud", "AfricaNPUD", "sub-saharan-africa", "African Network of People who Use Drugs",
        "The network of people who use drugs in Sub-Saharan Africa, building national "
        "groups where harm reduction services are new and often under threat.",
        [],
    ),
    (
        "lanpud", "LANPUD", "latin-america", "Latin American Network of People who Use Drugs",
        "The network of people who use drugs in Latin America, speaking for peers "
        "facing militarised drug policies, incarceration and violence.",
        [],
    ),
    (
        "panpud", "PANPUD", "pacific", "Pasifika Network of People who Use Drugs",
        "The network of people who use drugs in Australia, Aotearoa New Zealand and the "
        "Pacific Islands, with long experience of peer-run needle and syringe programmes.",
        [("Australia & Oceania Network of People who Use Drugs", "PasifikaNPUD", None, None)],
    ),
    (
        "nanpud", "NANPUD", "north-america", "North American Network of People who Use Drugs",
        "The network of people who use drugs in Canada and the United States, organising "
        "through an overdose crisis driven by an unregulated drug supply.",
        [],
    ),
    (
        "menanpud", "MENANPUD", "mena", "Middle East and North Africa Network of People who Use Drugs",
        "The network of people who use drugs in the Middle East and North Africa, where "
        "peers organise under severe criminal penalties and strong stigma.",
        [],
    ),
    (
        "inwud", "INWUD", None, "International Network of Women who Use Drugs",
        "The global network of women who use drugs, defending their rights to health, "
        "safety, parenthood and freedom from gender-based violence.",
        [],
    ),
]

ACTIVITIES = [
    ("advocacy", ("Advocacy", "Plaidoyer", "Incidencia política", "Адвокация", "المناصرة", "Advocacia")),
    ("peer-outreach", ("Peer outreach", "Travail de proximité par les pairs", "Alcance entre pares", "Аутрич силами равных", "التوعية عبر الأقران", "Trabalho de proximidade entre pares")),
    ("nsp", ("Needle and syringe programme", "Programme d'échange de seringues", "Programa de intercambio de jeringas", "Программа обмена игл и шприцев", "برنامج الإبر والمحاقن", "Programa de troca de seringas")),
    ("oat", ("Opioid agonist therapy", "Traitement par agonistes opioïdes", "Tratamiento con agonistas opioides", "Опиоидная агонистическая терапия", "العلاج بناهضات الأفيونيات", "Terapia com agonistas opioides")),
    ("naloxone", ("Naloxone distribution", "Distribution de naloxone", "Distribución de naloxona", "Распространение налоксона", "توزيع النالوكسون", "Distribuição de naloxona")),
    ("drug-checking", ("Drug checking", "Analyse de produits", "Análisis de sustancias", "Проверка веществ", "فحص المواد", "Análise de substâncias")),
    ("legal-aid", ("Legal aid", "Aide juridique", "Asistencia jurídica", "Юридическая помощь", "المساعدة القانونية", "Apoio jurídico")),
    ("community-monitoring", ("Community-led monitoring", "Suivi communautaire", "Monitoreo comunitario", "Мониторинг силами сообщества", "الرصد بقيادة المجتمع", "Monitorização comunitária")),
]

NEEDS = [
    ("funding", ("Funding", "Financement", "Financiación", "Финансирование", "التمويل", "Financiamento")),
    ("governance-training", ("Governance training", "Formation à la gouvernance", "Formación en gobernanza", "Обучение управлению организацией", "التدريب على الحوكمة", "Formação em governação")),
    ("legal-support", ("Legal support", "Soutien juridique", "Apoyo legal", "Правовая поддержка", "الدعم القانوني", "Apoio legal")),
    ("registration", ("Help with registration", "Aide à l'enregistrement", "Apoyo para el registro legal", "Помощь в регистрации", "المساعدة في التسجيل", "Apoio ao registo")),
    ("security", ("Digital and physical security", "Sécurité numérique et physique", "Seguridad digital y física", "Цифровая и физическая безопасность", "الأمن الرقمي والجسدي", "Segurança digital e física")),
    ("advocacy-skills", ("Advocacy skills", "Compétences en plaidoyer", "Habilidades de incidencia", "Навыки адвокации", "مهارات المناصرة", "Competências de advocacia")),
]

# (network slug, org slug, name, country, city, kind, legal status, founded, visibility,
#  activities, needs, description)
ORGANISATIONS = [
    ("napud", "peer-voices-kathmandu", "Peer Voices Kathmandu", "NP", "Kathmandu", "local-group", "registered", 2011, "public", ["peer-outreach", "nsp"], ["funding"], "A peer group running outreach and needle exchange in the Kathmandu valley."),
    ("napud", "suara-sebaya", "Suara Sebaya", "ID", "Bandung", "national-network", "registered", 2009, "public", ["advocacy", "legal-aid"], ["legal-support"], "A national network documenting police abuse and offering paralegal support."),
    ("napud", "mekong-peer-circle", "Mekong Peer Circle", "VN", "Hanoi", "local-group", "unregistered", 2018, "members", ["peer-outreach"], ["registration", "security"], "An informal circle of peers meeting in private homes."),
    ("enpud", "step-forward-kyiv", "Step Forward", "UA", "Kyiv", "community-organisation", "registered", 2013, "public", ["oat", "advocacy"], ["funding"], "Patients of opioid agonist therapy campaigning for take-home doses."),
    ("enpud", "steppe-harm-reduction", "Steppe Harm Reduction Group", "KZ", "Almaty", "local-group", "unregistered", 2020, "secretariat", ["naloxone"], ["security", "registration"], "Peers distributing naloxone where doing so carries legal risk."),
    ("enpud", "tbilisi-peer-union", "Tbilisi Peer Union", "GE", "Tbilisi", "national-network", "registered", 2015, "public", ["advocacy", "community-monitoring"], ["governance-training"], "A union of people who use drugs monitoring access to services across Georgia."),
    ("euronpud", "lisbon-users-collective", "Lisbon Users Collective", "PT", "Lisbon", "community-organisation", "registered", 2008, "public", ["drug-checking", "peer-outreach"], ["funding"], "Runs peer-led drug checking at festivals and in the city."),
    ("euronpud", "rhine-peer-network", "Rhine Peer Network", "DE", "Cologne", "national-network", "registered", 2004, "public", ["advocacy", "naloxone"], ["advocacy-skills"], "A national network of drug user self-help groups."),
    ("africanpud", "nairobi-peer-alliance", "Nairobi Peer Alliance", "KE", "Nairobi", "local-group", "registered", 2014, "public", ["nsp", "oat"], ["funding", "governance-training"], "Peer navigators linking people to needle exchange and methadone clinics."),
    ("africanpud", "cape-users-forum", "Cape Users Forum", "ZA", "Cape Town", "community-organisation", "unregistered", 2019, "members", ["peer-outreach", "community-monitoring"], ["registration"], "A forum of peers monitoring how clinics treat people who use drugs."),
    ("africanpud", "dar-peer-hope", "Peer Hope Dar es Salaam", "TZ", "Dar es Salaam", "local-group", "registered", 2016, "public", ["naloxone"], ["funding"], "Overdose response training in drop-in centres."),
    ("lanpud", "red-de-pares-bogota", "Red de Pares Bogotá", "CO", "Bogotá", "local-group", "registered", 2012, "public", ["advocacy", "drug-checking"], ["funding"], "Peers pushing for drug checking and an end to forced treatment."),
    ("lanpud", "colectivo-usuarios-cdmx", "Colectivo de Usuarios CDMX", "MX", "Mexico City", "community-organisation", "unregistered", 2017, "members", ["peer-outreach", "legal-aid"], ["legal-support", "security"], "Street outreach and legal accompaniment for people stopped by police."),
    ("panpud", "harbour-peer-project", "Harbour Peer Project", "AU", "Sydney", "community-organisation", "registered", 1998, "public", ["nsp", "naloxone"], ["advocacy-skills"], "One of the long-standing peer-run needle and syringe programmes."),
    ("panpud", "aotearoa-users-voice", "Aotearoa Users Voice", "NZ", "Wellington", "national-network", "registered", 2010, "public", ["advocacy", "drug-checking"], ["funding"], "A national voice of people who use drugs in Aotearoa."),
    ("nanpud", "east-side-users-union", "East Side Users Union", "CA", "Vancouver", "local-group", "registered", 1998, "public", ["advocacy", "peer-outreach"], ["funding"], "A drug users' union organising for a safe supply."),
    ("nanpud", "great-lakes-peer-network", "Great Lakes Peer Network", "US", "Chicago", "national-network", "unregistered", 2021, "members", ["naloxone", "community-monitoring"], ["governance-training", "registration"], "Peers tracking overdose deaths and naloxone access."),
    ("menanpud", "cedar-peer-group", "Cedar Peer Group", "LB", "Beirut", "local-group", "unregistered", 2015, "secretariat", ["peer-outreach", "oat"], ["security", "legal-support"], "A confidential group of peers; its details stay with the secretariat."),
    ("menanpud", "atlas-harm-reduction", "Atlas Harm Reduction Peers", "MA", "Tangier", "community-organisation", "registered", 2012, "public", ["nsp", "advocacy"], ["funding"], "Peers working in needle exchange programmes in northern Morocco."),
    ("inwud", "women-peers-circle", "Women Peers Circle", "IN", "Imphal", "women-group", "unregistered", 2016, "members", ["peer-outreach", "legal-aid"], ["funding", "security"], "Women who use drugs supporting each other through custody and child protection cases."),
    ("inwud", "sisters-in-harm-reduction", "Sisters in Harm Reduction", "BR", "São Paulo", "women-group", "registered", 2014, "public", ["advocacy", "naloxone"], ["advocacy-skills"], "Advocacy for gender-responsive harm reduction services."),
]

SECRETARIAT_EMAIL = "secretariat@example.org"
DEMO_PASSWORD = "demo-passphrase-2026"  # noqa: S105 - printed and usable only with DEBUG on
