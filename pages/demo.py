"""Demo site content: who INPUD is on the home page, and the About pages.

Written for the project from the facts in the design notes. The home page text is
given in all six languages, the About pages in English, French and Arabic: Spanish,
Russian and Portuguese visitors see those in English, marked as English, which is
how an untranslated page looks in production.
"""

from django.db import transaction

from .models import Page, Section

# (slug, placement, position, title, summary, [(heading, body), ...]); every text is
# a dict language -> text.
PAGES = [
    (
        "who-we-are",
        Page.Placement.HOME,
        0,
        {
            "en": "Who we are",
            "fr": "Qui nous sommes",
            "ar": "من نحن",
            "es": "Quiénes somos",
            "ru": "Кто мы",
            "pt": "Quem somos",
        },
        {
            "en": "INPUD is a global, peer-led network of people who use drugs. We defend the "
            "health and human rights of our communities, working with and through eight "
            "regional networks and the International Network of Women who Use Drugs.",
            "fr": "L'INPUD est un réseau mondial de personnes qui utilisent des drogues, dirigé "
            "par les pairs. Nous défendons la santé et les droits humains de nos communautés, "
            "avec et à travers huit réseaux régionaux et le Réseau international des femmes qui "
            "utilisent des drogues.",
            "ar": "الشبكة الدولية للأشخاص الذين يتعاطون المخدرات شبكة عالمية يقودها الأقران. "
            "ندافع عن صحة مجتمعاتنا وحقوقها الإنسانية، بالعمل مع ثماني شبكات إقليمية والشبكة "
            "الدولية للنساء اللواتي يتعاطين المخدرات ومن خلالها.",
            "es": "INPUD es una red mundial de personas que usan drogas, dirigida por pares. "
            "Defendemos la "
            "salud y los derechos humanos de nuestras comunidades, con y a través de ocho redes "
            "regionales y la Red Internacional de Mujeres que Usan Drogas.",
            "ru": "INPUD — глобальная сеть людей, употребляющих наркотики, которой руководят сами "
            "равные. Мы защищаем здоровье и права человека наших сообществ, работая вместе с "
            "восемью региональными сетями и Международной сетью женщин, употребляющих наркотики, "
            "и через них.",
            "pt": "A INPUD é uma rede mundial de pessoas que usam drogas, liderada por pares. "
            "Defendemos a "
            "saúde e os direitos humanos das nossas comunidades, com e através de oito redes "
            "regionais e da Rede Internacional de Mulheres que Usam Drogas.",
        },
        [
            (
                {
                    "en": "Vision",
                    "fr": "Vision",
                    "ar": "الرؤية",
                    "es": "Visión",
                    "ru": "Видение",
                    "pt": "Visão",
                },
                {
                    "en": "A world in which people who use drugs live free from "
                    "criminalisation, stigma and discrimination, with the same health and the "
                    "same rights as everyone else.",
                    "fr": "Un monde où les personnes qui utilisent des drogues vivent à l'abri "
                    "de la criminalisation, de la stigmatisation et de la discrimination, avec "
                    "la même santé et les mêmes droits que quiconque.",
                    "ar": "عالم يعيش فيه الأشخاص الذين يتعاطون المخدرات بعيدًا عن التجريم "
                    "والوصم والتمييز، ويتمتعون بالصحة والحقوق نفسها التي يتمتع بها الجميع.",
                    "es": "Un mundo en el que las personas que usan drogas vivan libres de "
                    "criminalización, estigma y discriminación, con la misma salud y los mismos "
                    "derechos que cualquier otra persona.",
                    "ru": "Мир, в котором люди, употребляющие наркотики, живут без "
                    "криминализации, стигмы "
                    "и дискриминации, с тем же здоровьем и теми же правами, что и все остальные.",
                    "pt": "Um mundo em que as pessoas que usam drogas vivam livres de "
                    "criminalização, "
                    "estigma e discriminação, com a mesma saúde e os mesmos direitos que toda a "
                    "gente.",
                },
            ),
            (
                {
                    "en": "Mission",
                    "fr": "Mission",
                    "ar": "الرسالة",
                    "es": "Misión",
                    "ru": "Миссия",
                    "pt": "Missão",
                },
                {
                    "en": "We bring the voices of people who use drugs to the places where "
                    "decisions about our lives are made. We strengthen the networks that "
                    "represent us in every region, and we hold governments and international "
                    "agencies to their human rights obligations.",
                    "fr": "Nous portons la voix des personnes qui utilisent des drogues là où se "
                    "prennent les décisions qui concernent nos vies. Nous renforçons les réseaux "
                    "qui nous représentent dans chaque région et rappelons aux gouvernements et "
                    "aux agences internationales leurs obligations en matière de droits humains.",
                    "ar": "نوصل أصوات الأشخاص الذين يتعاطون المخدرات إلى حيث تُتخذ القرارات "
                    "التي تمس حياتنا. ونعزز الشبكات التي تمثلنا في كل منطقة، ونطالب الحكومات "
                    "والوكالات الدولية بالوفاء بالتزاماتها في مجال حقوق الإنسان.",
                    "es": "Llevamos la voz de las personas que usan drogas a los lugares donde "
                    "se toman "
                    "las decisiones sobre nuestras vidas. Fortalecemos las redes que nos "
                    "representan en cada región y exigimos a los gobiernos y a las agencias "
                    "internacionales que cumplan sus obligaciones de derechos humanos.",
                    "ru": "Мы доносим голос людей, употребляющих наркотики, туда, где "
                    "принимаются решения "
                    "о нашей жизни. Мы укрепляем сети, которые представляют нас в каждом регионе, "
                    "и требуем от правительств и международных агентств выполнения их "
                    "обязательств в области прав человека.",
                    "pt": "Levamos a voz das pessoas que usam drogas aos lugares onde se tomam "
                    "as decisões "
                    "sobre as nossas vidas. Fortalecemos as redes que nos representam em cada "
                    "região e exigimos que governos e agências internacionais cumpram as suas "
                    "obrigações de direitos humanos.",
                },
            ),
            (
                {
                    "en": "Principles",
                    "fr": "Principes",
                    "ar": "المبادئ",
                    "es": "Principios",
                    "ru": "Принципы",
                    "pt": "Princípios",
                },
                {
                    "en": "Nothing about us without us: people who use drugs lead our work and "
                    "our decisions.\n\n"
                    "Human rights belong to everyone, whether or not they use drugs.\n\n"
                    "We work with and through our member networks, and answer to them.",
                    "fr": "Rien sur nous sans nous : les personnes qui utilisent des drogues "
                    "dirigent notre travail et nos décisions.\n\n"
                    "Les droits humains appartiennent à toutes et à tous, que l'on utilise "
                    "des drogues ou non.\n\n"
                    "Nous travaillons avec et à travers nos réseaux membres, et leur rendons "
                    "des comptes.",
                    "ar": "لا شيء يخصنا من دوننا: الأشخاص الذين يتعاطون المخدرات هم من يقودون "
                    "عملنا وقراراتنا.\n\n"
                    "حقوق الإنسان حق للجميع، سواء تعاطوا المخدرات أم لا.\n\n"
                    "نعمل مع شبكاتنا الأعضاء ومن خلالها، ونخضع للمساءلة أمامها.",
                    "es": "Nada sobre nosotros sin nosotros: las personas que usan drogas "
                    "dirigen nuestro "
                    "trabajo y nuestras decisiones.\n\n"
                    "Los derechos humanos son de todas las personas, usen drogas o no.\n\n"
                    "Trabajamos con y a través de nuestras redes miembro, y les rendimos cuentas.",
                    "ru": "Ничего о нас без нас: нашей работой и нашими решениями руководят люди, "
                    "употребляющие наркотики.\n\n"
                    "Права человека принадлежат всем, употребляют они наркотики или нет.\n\n"
                    "Мы работаем вместе с нашими сетями-членами и через них и подотчётны им.",
                    "pt": "Nada sobre nós sem nós: as pessoas que usam drogas lideram o nosso "
                    "trabalho e "
                    "as nossas decisões.\n\n"
                    "Os direitos humanos pertencem a todas as pessoas, usem drogas ou não.\n\n"
                    "Trabalhamos com e através das nossas redes membro, e prestamos-lhes contas.",
                },
            ),
            (
                {
                    "en": "Goals",
                    "fr": "Objectifs",
                    "ar": "الأهداف",
                    "es": "Objetivos",
                    "ru": "Цели",
                    "pt": "Objetivos",
                },
                {
                    "en": "End the criminalisation of people who use drugs.\n\n"
                    "Harm reduction, HIV, viral hepatitis and TB services everywhere, designed "
                    "with the people who use them.\n\n"
                    "Strong, sustainably funded networks of people who use drugs in every "
                    "region.",
                    "fr": "Mettre fin à la criminalisation des personnes qui utilisent "
                    "des drogues.\n\n"
                    "Des services de réduction des risques, de VIH, d'hépatites virales et de "
                    "tuberculose partout, conçus avec celles et ceux qui les utilisent.\n\n"
                    "Des réseaux de personnes qui utilisent des drogues solides et financés "
                    "durablement dans chaque région.",
                    "ar": "إنهاء تجريم الأشخاص الذين يتعاطون المخدرات.\n\n"
                    "خدمات الحد من الضرر وفيروس نقص المناعة البشرية والتهاب الكبد الفيروسي "
                    "والسل في كل مكان، مصممة بمشاركة من يستخدمونها.\n\n"
                    "شبكات قوية وممولة على نحو مستدام للأشخاص الذين يتعاطون المخدرات في كل "
                    "منطقة.",
                    "es": "Acabar con la criminalización de las personas que usan drogas.\n\n"
                    "Servicios de reducción de daños, VIH, hepatitis virales y tuberculosis en "
                    "todas partes, diseñados con quienes los usan.\n\n"
                    "Redes de personas que usan drogas fuertes y con financiación sostenible en "
                    "cada región.",
                    "ru": "Прекратить криминализацию людей, употребляющих наркотики.\n\n"
                    "Услуги снижения вреда, по ВИЧ, вирусным гепатитам и туберкулёзу повсюду, "
                    "созданные вместе с теми, кто ими пользуется.\n\n"
                    "Сильные и устойчиво финансируемые сети людей, употребляющих наркотики, в "
                    "каждом регионе.",
                    "pt": "Acabar com a criminalização das pessoas que usam drogas.\n\n"
                    "Serviços de redução de danos, VIH, hepatites virais e tuberculose em todo o "
                    "lado, concebidos com quem os usa.\n\n"
                    "Redes de pessoas que usam drogas fortes e com financiamento sustentável em "
                    "cada região.",
                },
            ),
        ],
    ),
    (
        "history",
        Page.Placement.ABOUT,
        1,
        {"en": "Our history", "fr": "Notre histoire", "ar": "تاريخنا"},
        {
            "en": "From a declaration written in Vancouver in 2006 to a network of regional "
            "networks on every continent.",
            "fr": "D'une déclaration rédigée à Vancouver en 2006 à un réseau de réseaux "
            "régionaux sur tous les continents.",
            "ar": "من إعلان كُتب في فانكوفر عام 2006 إلى شبكة من الشبكات الإقليمية في كل القارات.",
        },
        [
            (
                {
                    "en": "Founded in Vancouver",
                    "fr": "Fondé à Vancouver",
                    "ar": "التأسيس في فانكوفر",
                },
                {
                    "en": "INPUD grew out of a meeting of activists who use drugs in Vancouver, "
                    "Canada, in 2006. The Vancouver Declaration they adopted there says why "
                    "people who use drugs must organise and speak for themselves, and it is "
                    "still the network's founding text.",
                    "fr": "L'INPUD est né d'une réunion de militantes et de militants usagers de "
                    "drogues à Vancouver, au Canada, en 2006. La Déclaration de Vancouver qu'ils "
                    "y ont adoptée dit pourquoi les personnes qui utilisent des drogues doivent "
                    "s'organiser et parler en leur propre nom ; elle reste le texte fondateur du "
                    "réseau.",
                    "ar": "نشأت الشبكة من اجتماع لناشطين يتعاطون المخدرات في فانكوفر بكندا عام "
                    "2006. ويشرح إعلان فانكوفر الذي اعتمدوه هناك لماذا يجب على الأشخاص الذين "
                    "يتعاطون المخدرات أن ينظموا أنفسهم وأن يتحدثوا باسمهم، ولا يزال النص "
                    "التأسيسي للشبكة.",
                },
            ),
            (
                {
                    "en": "A network of networks",
                    "fr": "Un réseau de réseaux",
                    "ar": "شبكة من الشبكات",
                },
                {
                    "en": "At its 2015 Annual General Meeting in Kuala Lumpur, INPUD adopted a "
                    "regional membership structure: its members are the regional networks of "
                    "people who use drugs, together with the International Network of Women "
                    "who Use Drugs.\n\n"
                    "INPUD is registered as a charity in the United Kingdom. Its small "
                    "Secretariat, first based in London, now works from Norfolk.",
                    "fr": "Lors de son assemblée générale annuelle de 2015 à Kuala Lumpur, "
                    "l'INPUD a adopté une structure d'adhésion régionale : ses membres sont les "
                    "réseaux régionaux de personnes qui utilisent des drogues, ainsi que le Réseau "
                    "international des femmes qui utilisent des drogues.\n\n"
                    "L'INPUD est enregistré comme organisation caritative au Royaume-Uni. Son "
                    "petit secrétariat, d'abord installé à Londres, travaille aujourd'hui depuis "
                    "le Norfolk.",
                    "ar": "في اجتماعها العام السنوي لعام 2015 في كوالالمبور، اعتمدت الشبكة هيكل "
                    "عضوية إقليميًا: أعضاؤها هم الشبكات الإقليمية للأشخاص الذين يتعاطون "
                    "المخدرات، إلى جانب الشبكة الدولية للنساء اللواتي يتعاطين المخدرات.\n\n"
                    "الشبكة مسجلة كمؤسسة خيرية في المملكة المتحدة. وتعمل أمانتها الصغيرة، التي "
                    "كان مقرها في البداية في لندن، اليوم من نورفولك.",
                },
            ),
        ],
    ),
    (
        "governance",
        Page.Placement.ABOUT,
        2,
        {
            "en": "How the network is governed",
            "fr": "La gouvernance du réseau",
            "ar": "كيف تُدار الشبكة",
        },
        {
            "en": "A Board of nine directors, each elected by a member network and accountable "
            "to it.",
            "fr": "Un conseil d'administration de neuf membres, chacun élu par un réseau membre "
            "et responsable devant lui.",
            "ar": "مجلس إدارة من تسعة أعضاء، تنتخب كلًّا منهم شبكة عضو ويخضع للمساءلة أمامها.",
        },
        [
            (
                {
                    "en": "The Board of Directors",
                    "fr": "Le conseil d'administration",
                    "ar": "مجلس الإدارة",
                },
                {
                    "en": "Each of the eight regional networks elects one director to the INPUD "
                    "Board, and the International Network of Women who Use Drugs elects a "
                    "ninth. Every director answers to the board or steering committee of the "
                    "network that elected them, so that decisions taken for the world stay "
                    "rooted in the regions.",
                    "fr": "Chacun des huit réseaux régionaux élit un membre du conseil "
                    "d'administration de l'INPUD, et le Réseau international des femmes qui "
                    "utilisent des drogues en élit un neuvième. Chaque membre du conseil rend "
                    "compte au conseil ou au comité de pilotage du réseau qui l'a élu : les "
                    "décisions prises pour le monde entier restent ancrées dans les régions.",
                    "ar": "تنتخب كل شبكة من الشبكات الإقليمية الثماني عضوًا واحدًا في مجلس إدارة "
                    "الشبكة الدولية، وتنتخب الشبكة الدولية للنساء اللواتي يتعاطين المخدرات "
                    "العضو التاسع. ويخضع كل عضو للمساءلة أمام مجلس إدارة الشبكة التي انتخبته أو "
                    "لجنتها التوجيهية، فتبقى القرارات المتخذة على المستوى العالمي متجذرة في "
                    "المناطق.",
                },
            ),
            (
                {"en": "Meetings", "fr": "Les réunions", "ar": "الاجتماعات"},
                {
                    "en": "The Board meets every year and approves the annual work plan that "
                    "carries out the strategic plan. Between Board Meetings, an Executive "
                    "reviews progress with the Executive Director.\n\n"
                    "Every two years the members meet at a General Meeting, held alongside the "
                    "International Harm Reduction Conference.",
                    "fr": "Le conseil se réunit chaque année et approuve le plan de travail "
                    "annuel qui met en œuvre le plan stratégique. Entre deux réunions du "
                    "conseil, un bureau fait le point avec la direction exécutive.\n\n"
                    "Tous les deux ans, les membres se retrouvent en assemblée générale, en "
                    "marge de la Conférence internationale sur la réduction des risques.",
                    "ar": "يجتمع المجلس كل عام ويعتمد خطة العمل السنوية التي تنفذ الخطة "
                    "الاستراتيجية. وبين اجتماعات المجلس، تراجع لجنة تنفيذية التقدم المحرز مع "
                    "المدير التنفيذي.\n\n"
                    "وكل عامين يلتقي الأعضاء في اجتماع عام يُعقد على هامش المؤتمر الدولي للحد "
                    "من الضرر.",
                },
            ),
        ],
    ),
    (
        "vancouver-declaration",
        Page.Placement.ABOUT,
        3,
        {
            "en": "The Vancouver Declaration",
            "fr": "La Déclaration de Vancouver",
            "ar": "إعلان فانكوفر",
        },
        {
            "en": "The 2006 declaration that founded INPUD, endorsed by every member network.",
            "fr": "La déclaration de 2006 qui a fondé l'INPUD, approuvée par chaque réseau membre.",
            "ar": "إعلان عام 2006 الذي أسس الشبكة، وقد أقرته كل شبكة عضو.",
        },
        [
            (
                {"en": "What it says", "fr": "Ce qu'elle affirme", "ar": "مضمون الإعلان"},
                {
                    "en": "The Declaration affirms that people who use drugs hold the same human "
                    "rights as anyone, and that laws and policies made about us without us have "
                    "brought harm, prison and death. It calls on people who use drugs to "
                    "organise, to inform one another and to take part in every decision that "
                    "affects our lives.",
                    "fr": "La Déclaration affirme que les personnes qui utilisent des drogues "
                    "ont les mêmes droits humains que quiconque, et que les lois et politiques "
                    "décidées sur nous sans nous ont causé souffrances, prison et morts. Elle "
                    "appelle les personnes qui utilisent des drogues à s'organiser, à s'informer "
                    "les unes les autres et à prendre part à toutes les décisions qui touchent "
                    "nos vies.",
                    "ar": "يؤكد الإعلان أن للأشخاص الذين يتعاطون المخدرات حقوق الإنسان نفسها "
                    "التي لغيرهم، وأن القوانين والسياسات التي وُضعت بشأننا من دوننا جلبت الأذى "
                    "والسجن والموت. ويدعو الأشخاص الذين يتعاطون المخدرات إلى تنظيم أنفسهم "
                    "وتبادل المعرفة والمشاركة في كل قرار يمس حياتنا.",
                },
            ),
            (
                {"en": "Endorsement", "fr": "L'adhésion", "ar": "الإقرار"},
                {
                    "en": "Every member network of INPUD endorses the Vancouver Declaration. "
                    "The date each network endorsed it is on the network's profile.",
                    "fr": "Chaque réseau membre de l'INPUD souscrit à la Déclaration de "
                    "Vancouver. La date à laquelle chaque réseau l'a approuvée figure sur son "
                    "profil.",
                    "ar": "تقر كل شبكة عضو في الشبكة الدولية إعلان فانكوفر. ويظهر تاريخ إقرار "
                    "كل شبكة له في صفحتها التعريفية.",
                },
            ),
        ],
    ),
    (
        "consensus-statement",
        Page.Placement.ABOUT,
        4,
        {
            "en": "The Consensus Statement on Drug Use under Prohibition",
            "fr": "La Déclaration de consensus sur l'usage de drogues sous la prohibition",
            "ar": "بيان الإجماع بشأن تعاطي المخدرات في ظل الحظر",
        },
        {
            "en": "Human rights, health and the law: the rights INPUD defends, set out in a "
            "text every member network endorses.",
            "fr": "Droits humains, santé et loi : les droits que défend l'INPUD, exposés dans un "
            "texte que chaque réseau membre approuve.",
            "ar": "حقوق الإنسان والصحة والقانون: الحقوق التي تدافع عنها الشبكة، كما يعرضها نص "
            "تقره كل شبكة عضو.",
        },
        [
            (
                {
                    "en": "Rights under prohibition",
                    "fr": "Les droits sous la prohibition",
                    "ar": "الحقوق في ظل الحظر",
                },
                {
                    "en": "The Consensus Statement goes through the rights that prohibition "
                    "takes from people who use drugs, one by one: the right to health, to "
                    "freedom from arbitrary detention and from torture, to privacy, to a fair "
                    "trial and to a part in public life.\n\n"
                    "Every member network endorses it, alongside the Vancouver Declaration.",
                    "fr": "La Déclaration de consensus passe en revue, un par un, les droits que "
                    "la prohibition retire aux personnes qui utilisent des drogues : le droit à la "
                    "santé, le droit de ne pas être détenu arbitrairement ni torturé, le droit à "
                    "la vie privée, à un procès équitable et à une place dans la vie "
                    "publique.\n\n"
                    "Chaque réseau membre l'approuve, avec la Déclaration de Vancouver.",
                    "ar": "يستعرض بيان الإجماع، حقًا تلو الآخر، الحقوق التي يسلبها الحظر من "
                    "الأشخاص الذين يتعاطون المخدرات: الحق في الصحة، والحق في عدم التعرض "
                    "للاحتجاز التعسفي أو التعذيب، والحق في الخصوصية، وفي محاكمة عادلة، وفي "
                    "المشاركة في الحياة العامة.\n\n"
                    "تقره كل شبكة عضو، إلى جانب إعلان فانكوفر.",
                },
            ),
        ],
    ),
]


def _localized(field: str, texts: dict[str, str]) -> dict[str, str]:
    return {f"{field}_{code}": text for code, text in texts.items()}


@transaction.atomic
def demo_seed_pages() -> None:
    """Create the demo pages once; a page that already exists (perhaps edited by the
    secretariat since) is left as it is."""
    for slug, placement, position, title, summary, sections in PAGES:
        if (
            placement == Page.Placement.HOME
            and Page.objects.filter(placement=placement).exclude(slug=slug).exists()
        ):
            continue  # the secretariat has written its own home page text
        page, created = Page.objects.get_or_create(
            slug=slug,
            defaults={
                "placement": placement,
                "position": position,
                "status": Page.Status.PUBLISHED,
                **_localized("title", title),
                **_localized("summary", summary),
            },
        )
        if not created:
            continue
        for number, (heading, body) in enumerate(sections, start=1):
            Section.objects.create(
                page=page,
                position=number,
                **_localized("heading", heading),
                **_localized("body", body),
            )
