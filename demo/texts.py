"""The demo program's texts in Russian and Kazakh, by their English text (demo.data writes English).

Russian everywhere, as the delegation reads it; Kazakh for all that a participant sees (names of
the hosts as they call themselves, titles, places, agendas). `translations("title", text)` gives
the keyword arguments of a service call: `title_ru=...`, `title_kk=...` beside the English one.
"""

from typing import Any

# English -> (Russian, Kazakh)
TEXTS: dict[str, tuple[str, str]] = {
    # The program
    "Development of human capital in the interests of achieving national goals": (
        "Развитие человеческого капитала в интересах достижения национальных целей",
        "Ұлттық мақсаттарға қол жеткізу мүддесінде адами капиталды дамыту",
    ),
    "Internship for representatives of the highest level of civil servants of the Russian "
    "Federation: Kazakhstan's experience of public administration reform and national projects.": (
        "Стажировка для представителей высшего уровня государственных служащих Российской Федерации: "
        "опыт Казахстана в реформах государственного управления и реализации национальных проектов.",
        "Ресей Федерациясының жоғары деңгейдегі мемлекеттік қызметшілеріне арналған тағылымдама: "
        "Қазақстанның мемлекеттік басқаруды реформалау және ұлттық жобаларды іске асыру тәжірибесі.",
    ),
    "Astana": ("Астана", "Астана"),
    # Groups and their themes
    "Strategic planning": ("Стратегическое планирование", "Стратегиялық жоспарлау"),
    "Digital state": ("Цифровое государство", "Цифрлық мемлекет"),
    "Demography": ("Демография", "Демография"),
    "Entrepreneurship": ("Предпринимательство", "Кәсіпкерлік"),
    "Science": ("Наука", "Ғылым"),
    "Green economy": ("Зелёная экономика", "Жасыл экономика"),
    "Spatial development": ("Пространственное развитие", "Кеңістіктік даму"),
    "Human capital": ("Человеческий капитал", "Адами капитал"),
    "Strategic planning and the system of national projects": (
        "Стратегическое планирование и система национальных проектов",
        "Стратегиялық жоспарлау және ұлттық жобалар жүйесі",
    ),
    "Digital transformation of public administration": (
        "Цифровая трансформация государственного управления",
        "Мемлекеттік басқаруды цифрлық трансформациялау",
    ),
    "Demography policies and social housing": (
        "Демографическая политика и социальное жильё",
        "Демографиялық саясат және әлеуметтік тұрғын үй",
    ),
    "Support institutions for small and medium entrepreneurship": (
        "Институты поддержки малого и среднего предпринимательства",
        "Шағын және орта кәсіпкерлікті қолдау институттары",
    ),
    "Development of science and innovative entrepreneurship": (
        "Развитие науки и инновационного предпринимательства",
        "Ғылым мен инновациялық кәсіпкерлікті дамыту",
    ),
    "Environmental issues and green technologies": (
        "Экологические вопросы и зелёные технологии",
        "Экология мәселелері және жасыл технологиялар",
    ),
    "Spatial development and urban planning": (
        "Пространственное развитие и градостроительство",
        "Кеңістіктік даму және қала құрылысы",
    ),
    # Hosts: names as they call themselves, addresses, visitor requirements
    "Academy of Public Administration under the President of the Republic of Kazakhstan": (
        "Академия государственного управления при Президенте Республики Казахстан",
        "Қазақстан Республикасының Президенті жанындағы Мемлекеттік басқару академиясы",
    ),
    "Astana International Financial Centre (AIFC)": (
        "Международный финансовый центр «Астана» (МФЦА)",
        "«Астана» халықаралық қаржы орталығы (АХҚО)",
    ),
    "“Atameken” National Chamber of Entrepreneurs": (
        "Национальная палата предпринимателей «Атамекен»",
        "«Атамекен» Ұлттық кәсіпкерлер палатасы",
    ),
    "“Damu” Entrepreneurship Development Fund": (
        "Фонд развития предпринимательства «Даму»",
        "«Даму» кәсіпкерлікті дамыту қоры",
    ),
    "Special Economic Zone “Astana – New City”": (
        "Специальная экономическая зона «Астана – новый город»",
        "«Астана – жаңа қала» арнайы экономикалық аймағы",
    ),
    "Nazarbayev University": ("Назарбаев Университет", "Назарбаев Университеті"),
    "Astana IT University": ("Astana IT University", "Astana IT University"),
    "Astana Hub": ("Astana Hub", "Astana Hub"),
    "“Zerde” National Infocommunication Holding": (
        "Национальный инфокоммуникационный холдинг «Зерде»",
        "«Зерде» ұлттық инфокоммуникациялық холдингі",
    ),
    "National Information Technologies JSC": (
        "АО «Национальные информационные технологии»",
        "«Ұлттық ақпараттық технологиялар» АҚ",
    ),
    "AstanaGenPlan Research and Design Institute": (
        "НИПИ «Астанагенплан»",
        "«Астанагенплан» ғылыми-зерттеу және жобалау институты",
    ),
    "Nazarbayev Intellectual Schools": ("Назарбаев Интеллектуальные школы", "Назарбаев Зияткерлік мектептері"),
    "National Management Holding “Baiterek”": (
        "Национальный управляющий холдинг «Байтерек»",
        "«Бәйтерек» ұлттық басқарушы холдингі",
    ),
    "EcoPack Astana LLP (small business)": (
        "ТОО «EcoPack Astana» (малый бизнес)",
        "«EcoPack Astana» ЖШС (шағын бизнес)",
    ),
    "International Center for Green Technologies and Investment Projects": (
        "Международный центр зелёных технологий и инвестиционных проектов",
        "Жасыл технологиялар мен инвестициялық жобалардың халықаралық орталығы",
    ),
    "33a Abay Ave, Astana": ("пр. Абая, 33а", "Абай даңғылы, 33а"),
    "55/17 Mangilik El Ave, Astana": ("пр. Мангилик Ел, 55/17", "Мәңгілік Ел даңғылы, 55/17"),
    "8 Dinmukhamed Konayev St, Astana": ("ул. Динмухамеда Кунаева, 8", "Дінмұхамед Қонаев көшесі, 8"),
    "17 Kabanbay Batyr Ave, Astana": ("пр. Кабанбай батыра, 17", "Қабанбай батыр даңғылы, 17"),
    "2 Turan Ave, Astana": ("пр. Туран, 2", "Тұран даңғылы, 2"),
    "53 Kabanbay Batyr Ave, Astana": ("пр. Кабанбай батыра, 53", "Қабанбай батыр даңғылы, 53"),
    "55/11 Mangilik El Ave, Business Centre EXPO, C1": (
        "пр. Мангилик Ел, 55/11, бизнес-центр EXPO, блок C1",
        "Мәңгілік Ел даңғылы, 55/11, EXPO бизнес орталығы, C1 блогы",
    ),
    "55/8 Mangilik El Ave, Astana": ("пр. Мангилик Ел, 55/8", "Мәңгілік Ел даңғылы, 55/8"),
    "55/5 Mangilik El Ave, Astana": ("пр. Мангилик Ел, 55/5", "Мәңгілік Ел даңғылы, 55/5"),
    "55/14 Mangilik El Ave, Astana": ("пр. Мангилик Ел, 55/14", "Мәңгілік Ел даңғылы, 55/14"),
    "14 Beybitshilik St, Astana": ("ул. Бейбитшилик, 14", "Бейбітшілік көшесі, 14"),
    "21/1 Hussein bin Talal St, Astana": ("ул. Хусейн бен Талал, 21/1", "Хусейн бен Талал көшесі, 21/1"),
    "55A Mangilik El Ave, Astana": ("пр. Мангилик Ел, 55А", "Мәңгілік Ел даңғылы, 55А"),
    "47 Industrial Zone, Astana": ("Индустриальная зона, 47", "Индустриялық аймақ, 47"),
    "55/23 Mangilik El Ave, EXPO, Astana": ("пр. Мангилик Ел, 55/23, EXPO", "Мәңгілік Ел даңғылы, 55/23, EXPO"),
    "Passport or ID card at the entrance.": (
        "На входе — паспорт или удостоверение личности.",
        "Кіреберісте — төлқұжат немесе жеке куәлік.",
    ),
    "Participant badge.": ("Бейдж участника.", "Қатысушы бейджі."),
    "Passport required; the visitor list five working days ahead.": (
        "Нужен паспорт; список посетителей — за пять рабочих дней.",
        "Төлқұжат қажет; келушілер тізімі — бес жұмыс күні бұрын.",
    ),
    "Closed-toe shoes on the industrial site; passport at the gate.": (
        "На промышленной площадке — закрытая обувь; паспорт на проходной.",
        "Өнеркәсіп алаңында — жабық аяқ киім; өткізу пунктінде төлқұжат.",
    ),
    "Passport required; the visitor list five days ahead for the security desk.": (
        "Нужен паспорт; список посетителей для службы охраны — за пять дней.",
        "Төлқұжат қажет; күзет қызметіне келушілер тізімі — бес күн бұрын.",
    ),
    "Passport required; the visitor list five days ahead.": (
        "Нужен паспорт; список посетителей — за пять дней.",
        "Төлқұжат қажет; келушілер тізімі — бес күн бұрын.",
    ),
    "Closed-toe shoes on the production floor.": ("В цехе — закрытая обувь.", "Цехта — жабық аяқ киім."),
    # Site visits: titles and agendas
    "AIFC: the financial centre under English common law": (
        "МФЦА: финансовый центр на основе английского общего права",
        "АХҚО: ағылшын жалпы құқығына негізделген қаржы орталығы",
    ),
    "The AIFC court and arbitration, the exchange, the regulator; green finance.": (
        "Суд и арбитраж МФЦА, биржа, регулятор; зелёные финансы.",
        "АХҚО соты мен арбитражы, биржа, реттеуші; жасыл қаржы.",
    ),
    "Atameken: the voice of business in law-making": (
        "«Атамекен»: голос бизнеса в законотворчестве",
        "«Атамекен»: заң шығарудағы бизнестің үні",
    ),
    "Regulatory impact assessment, business ombudsman, support centres in the regions.": (
        "Анализ регуляторного воздействия, бизнес-омбудсмен, центры поддержки в регионах.",
        "Реттеушілік әсерді талдау, бизнес-омбудсмен, өңірлердегі қолдау орталықтары.",
    ),
    "Damu: guarantees and subsidies for small business": (
        "«Даму»: гарантии и субсидии для малого бизнеса",
        "«Даму»: шағын бизнеске кепілдіктер мен субсидиялар",
    ),
    "Loan guarantees, interest-rate subsidies, the Business Roadmap programme.": (
        "Гарантии по кредитам, субсидирование ставок, программа «Дорожная карта бизнеса».",
        "Несиелер бойынша кепілдіктер, мөлшерлемелерді субсидиялау, «Бизнестің жол картасы» бағдарламасы.",
    ),
    "Special Economic Zone: industrial park and investors": (
        "Специальная экономическая зона: индустриальный парк и инвесторы",
        "Арнайы экономикалық аймақ: индустриялық парк және инвесторлар",
    ),
    "Tax and customs regime, the industrial park, meeting resident companies.": (
        "Налоговый и таможенный режим, индустриальный парк, встреча с компаниями-резидентами.",
        "Салық және кеден режимі, индустриялық парк, резидент компаниялармен кездесу.",
    ),
    "Nazarbayev University: research university and innovation cluster": (
        "Назарбаев Университет: исследовательский университет и инновационный кластер",
        "Назарбаев Университеті: зерттеу университеті және инновациялық кластер",
    ),
    "Autonomy and governance, the innovation cluster, the technopark, start-ups.": (
        "Автономия и управление, инновационный кластер, технопарк, стартапы.",
        "Дербестік және басқару, инновациялық кластер, технопарк, стартаптар.",
    ),
    "Astana IT University: training the digital workforce": (
        "Astana IT University: подготовка цифровых кадров",
        "Astana IT University: цифрлық кадрлар даярлау",
    ),
    "Curricula built with industry, the digital competence centre.": (
        "Программы обучения вместе с отраслью, центр цифровых компетенций.",
        "Саламен бірге жасалған оқу бағдарламалары, цифрлық құзыреттер орталығы.",
    ),
    "Astana Hub: the international technopark of IT start-ups": (
        "Astana Hub: международный технопарк IT-стартапов",
        "Astana Hub: IT-стартаптардың халықаралық технопаркі",
    ),
    "Tax preferences for participants, acceleration programmes, GovTech projects.": (
        "Налоговые льготы для участников, программы акселерации, проекты GovTech.",
        "Қатысушыларға салық жеңілдіктері, акселерация бағдарламалары, GovTech жобалары.",
    ),
    "Zerde: the state's infocommunication holding": (
        "«Зерде»: государственный инфокоммуникационный холдинг",
        "«Зерде»: мемлекеттік инфокоммуникациялық холдинг",
    ),
    "Broadband for villages, the state's data centres, digital content.": (
        "Широкополосный доступ для сёл, государственные центры обработки данных, цифровой контент.",
        "Ауылдарға кең жолақты қолжетімділік, мемлекеттік деректер орталықтары, цифрлық контент.",
    ),
    "National Information Technologies: e-government and eGov mobile": (
        "«Национальные информационные технологии»: электронное правительство и eGov mobile",
        "«Ұлттық ақпараттық технологиялар»: электрондық үкімет және eGov mobile",
    ),
    "The e-government portal, public service centres, proactive services.": (
        "Портал электронного правительства, центры обслуживания населения, проактивные услуги.",
        "Электрондық үкімет порталы, халыққа қызмет көрсету орталықтары, проактивті қызметтер.",
    ),
    "AstanaGenPlan: the city's master plan": (
        "«Астанагенплан»: генеральный план города",
        "«Астанагенплан»: қаланың бас жоспары",
    ),
    "Master plan of Astana to 2035, the digital twin of the city, social housing.": (
        "Генеральный план Астаны до 2035 года, цифровой двойник города, социальное жильё.",
        "Астананың 2035 жылға дейінгі бас жоспары, қаланың цифрлық егізі, әлеуметтік тұрғын үй.",
    ),
    "Nazarbayev Intellectual Schools: trilingual education": (
        "Назарбаев Интеллектуальные школы: трёхъязычное образование",
        "Назарбаев Зияткерлік мектептері: үш тілде білім беру",
    ),
    "The school's curriculum, teacher development, spreading practice to state schools.": (
        "Учебная программа, развитие учителей, передача опыта государственным школам.",
        "Оқу бағдарламасы, мұғалімдерді дамыту, тәжірибені мемлекеттік мектептерге тарату.",
    ),
    "Baiterek: development institutions under one holding": (
        "«Байтерек»: институты развития в одном холдинге",
        "«Бәйтерек»: бір холдингтегі даму институттары",
    ),
    "Housing construction savings, export support, the Industrial Development Fund.": (
        "Жилищные строительные сбережения, поддержка экспорта, Фонд развития промышленности.",
        "Тұрғын үй құрылыс жинақтары, экспортты қолдау, Өнеркәсіпті дамыту қоры.",
    ),
    "An SME that grew with state support: EcoPack Astana": (
        "МСП, выросшее с господдержкой: EcoPack Astana",
        "Мемлекет қолдауымен өскен ШОБ: EcoPack Astana",
    ),
    "From a Damu-guaranteed loan to export: the founder's story and the plant.": (
        "От кредита с гарантией «Даму» до экспорта: история основателя и производство.",
        "«Даму» кепілдігімен берілген несиеден экспортқа дейін: негізін қалаушының тарихы және өндіріс.",
    ),
    "International Center for Green Technologies": (
        "Международный центр зелёных технологий",
        "Жасыл технологиялардың халықаралық орталығы",
    ),
    "Green economy policy, renewable energy projects, the Green Bridge partnership.": (
        "Политика зелёной экономики, проекты возобновляемой энергетики, партнёрство «Зелёный мост».",
        "Жасыл экономика саясаты, жаңартылатын энергетика жобалары, «Жасыл көпір» серіктестігі.",
    ),
    # Lectures and ceremonies
    "Lecture: %s": ("Лекция: %s", "Дәріс: %s"),
    "The system of state planning of Kazakhstan": (
        "Система государственного планирования Казахстана",
        "Қазақстанның мемлекеттік жоспарлау жүйесі",
    ),
    "Strategy 2050, national projects and the KPI cascade.": (
        "Стратегия «Казахстан-2050», национальные проекты и каскад КПЭ.",
        "«Қазақстан-2050» стратегиясы, ұлттық жобалар және түйінді көрсеткіштер каскады.",
    ),
    "Reform of the civil service: the Kazakh model": (
        "Реформа государственной службы: казахстанская модель",
        "Мемлекеттік қызмет реформасы: қазақстандық модель",
    ),
    "Merit-based selection, the corps A, rotation.": (
        "Отбор по заслугам, корпус «А», ротация.",
        "Еңбегіне қарай іріктеу, «А» корпусы, ротация.",
    ),
    "Digital government and proactive services": (
        "Цифровое правительство и проактивные услуги",
        "Цифрлық үкімет және проактивті қызметтер",
    ),
    "From one-stop shops to services without application.": (
        "От принципа «одного окна» к услугам без заявления.",
        "«Бір терезе» қағидатынан өтінішсіз қызметтерге дейін.",
    ),
    "Regional policy and spatial development": (
        "Региональная политика и пространственное развитие",
        "Өңірлік саясат және кеңістіктік даму",
    ),
    "Agglomerations, support settlements, the housing programme.": (
        "Агломерации, опорные населённые пункты, жилищная программа.",
        "Агломерациялар, тірек елді мекендер, тұрғын үй бағдарламасы.",
    ),
    "Project management in the public sector": (
        "Проектное управление в государственном секторе",
        "Мемлекеттік сектордағы жобалық басқару",
    ),
    "Project offices, national project governance.": (
        "Проектные офисы, управление национальными проектами.",
        "Жобалық кеңселер, ұлттық жобаларды басқару.",
    ),
    "Human capital: education, health, labour market": (
        "Человеческий капитал: образование, здравоохранение, рынок труда",
        "Адами капитал: білім, денсаулық сақтау, еңбек нарығы",
    ),
    "Indicators, funding models, outcomes.": (
        "Показатели, модели финансирования, результаты.",
        "Көрсеткіштер, қаржыландыру модельдері, нәтижелер.",
    ),
    "Anti-corruption and open government": (
        "Противодействие коррупции и открытое правительство",
        "Сыбайлас жемқорлыққа қарсы іс-қимыл және ашық үкімет",
    ),
    "Open budgets, open NPAs, public councils.": (
        "Открытые бюджеты, открытые НПА, общественные советы.",
        "Ашық бюджеттер, ашық НҚА, қоғамдық кеңестер.",
    ),
    "Opening ceremony": ("Церемония открытия", "Ашылу салтанаты"),
    "Welcome by the Rector; introductions.": ("Приветствие ректора; знакомство.", "Ректордың құттықтауы; танысу."),
    "Closing ceremony and presentation of certificates": (
        "Церемония закрытия и вручение сертификатов",
        "Жабылу салтанаты және сертификаттарды табыстау",
    ),
    "Transfer to the airport": ("Трансфер в аэропорт", "Әуежайға трансфер"),
    "Project work: %s": ("Проектная работа: %s", "Жобалық жұмыс: %s"),
    "Preparing the group's proposals for the final presentation.": (
        "Подготовка предложений группы к итоговой презентации.",
        "Топтың ұсыныстарын қорытынды таныстырылымға дайындау.",
    ),
    # Meeting points
    "Main entrance of the Academy": ("Главный вход Академии", "Академияның бас кіреберісі"),
    "Hotel lobby": ("Холл гостиницы", "Қонақүй фойесі"),
    "Hotel lobby, 30 minutes before the start": (
        "Холл гостиницы, за 30 минут до начала",
        "Қонақүй фойесі, басталуынан 30 минут бұрын",
    ),
    "Academy, room assigned on the notice board": (
        "Академия, аудитория — на доске объявлений",
        "Академия, аудитория хабарландыру тақтасында көрсетілген",
    ),
    # Labels of the larger (benchmark) demos
    "Group %s": ("Группа %s", "%s-топ"),
    "Stream %s, group %s": ("Поток %s, группа %s", "%s-ағын, %s-топ"),
    " (stream %s)": (" (поток %s)", " (%s-ағын)"),
}


def russian(english: str) -> str:
    return TEXTS.get(english, ("", ""))[0]


def kazakh(english: str) -> str:
    return TEXTS.get(english, ("", ""))[1]


def translations(field: str, english: str) -> dict[str, Any]:
    """`{field: english, field_ru: …, field_kk: …}` for a service call; a text not in TEXTS is English only."""
    ru, kk = TEXTS.get(english, ("", ""))
    return {field: english, f"{field}_ru": ru, f"{field}_kk": kk}


def composed(field: str, pattern: str, *parts: str) -> dict[str, Any]:
    """A text made of a pattern and translated parts, e.g. ("Lecture: %s", title), in each language."""
    ru_pattern, kk_pattern = TEXTS[pattern]
    return {
        field: pattern % parts,
        f"{field}_ru": ru_pattern % tuple(russian(part) or part for part in parts),
        f"{field}_kk": kk_pattern % tuple(kazakh(part) or part for part in parts),
    }
