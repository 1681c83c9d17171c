"""The demo program: the Academy's internship for senior Russian civil servants
in Astana ("Development of human capital in the interests of achieving
national goals"), re-created from the account in shared/seeds.

`load_demo(scale=N)` builds the program N times larger (8·N project groups,
12 participants each, 122·N visits) for benchmarks. Everything is written
through the services, so the demo obeys the same rules as real data.
"""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import transaction

from demo.planning import load_planning
from participants.enums import Language
from participants.models import ProjectGroup
from participants.services import group_create, group_update, participant_create
from programs.enums import ProgramStatus
from programs.models import Program
from programs.services import organiser_add, program_create
from visits.enums import HostKind, VisitKind, VisitStatus
from visits.models import HostOrganisation
from visits.services import host_create, visit_create

from .hosting import hosting_demo
from .people import russian_details, russian_name
from .texts import TEXTS, composed, kazakh, russian, translations

PROGRAM_TITLE = "Development of human capital in the interests of achieving national goals"
PROGRAM_DESCRIPTION = (
    "Internship for representatives of the highest level of civil servants of the Russian "
    "Federation: Kazakhstan's experience of public administration reform and national projects."
)
PROGRAM_START = date(2026, 12, 7)
PROGRAM_DAYS = 10
TIMEZONE = "Asia/Almaty"
PARTICIPANTS_PER_GROUP = 12
ORGANISER_USERNAME = "organiser"
ORGANISER_PASSWORD = "astana-demo-2026"  # noqa: S105 - the demo's published login, printed by load_demo

TOPICS = [
    "Strategic planning",
    "Digital transformation",
    "Demography and social housing",
    "Entrepreneurship",
    "Education and science",
    "Environment",
    "Spatial development",
]

GROUP_THEMES = [
    ("Strategic planning", "Strategic planning and the system of national projects"),
    ("Digital state", "Digital transformation of public administration"),
    ("Demography", "Demography policies and social housing"),
    ("Entrepreneurship", "Support institutions for small and medium entrepreneurship"),
    ("Science", "Development of science and innovative entrepreneurship"),
    ("Green economy", "Environmental issues and green technologies"),
    ("Spatial development", "Spatial development and urban planning"),
    ("Human capital", "Development of human capital in the interests of achieving national goals"),
]


@dataclass(frozen=True)
class HostSeed:
    key: str
    name: str
    kind: str
    address: str
    latitude: str
    longitude: str
    website: str
    visit_title: str
    agenda: str
    contact: tuple[str, str, str]
    requirements: str = "Passport or ID card at the entrance."
    days_ahead: int = 3


ACADEMY = HostSeed(
    "academy",
    "Academy of Public Administration under the President of the Republic of Kazakhstan",
    HostKind.GOVERNMENT,
    "33a Abay Ave, Astana",
    "51.160523",
    "71.431580",
    "https://apa.kz",
    "",
    "",
    ("Aigerim Sarsenova", "Head of the International Cooperation Centre", "international@academy.example"),
    requirements="Participant badge.",
    days_ahead=1,
)

HOSTS = [
    HostSeed(
        "aifc",
        "Astana International Financial Centre (AIFC)",
        HostKind.FINANCIAL_CENTRE,
        "55/17 Mangilik El Ave, Astana",
        "51.089010",
        "71.416020",
        "https://aifc.kz",
        "AIFC: the financial centre under English common law",
        "The AIFC court and arbitration, the exchange, the regulator; green finance.",
        ("Daniyar Zhaksybekov", "Director for Government Relations", "gr@aifc.example"),
        "Passport required; the visitor list five working days ahead.",
        5,
    ),
    HostSeed(
        "atameken",
        "“Atameken” National Chamber of Entrepreneurs",
        HostKind.CHAMBER,
        "8 Dinmukhamed Konayev St, Astana",
        "51.128840",
        "71.430640",
        "https://atameken.kz",
        "Atameken: the voice of business in law-making",
        "Regulatory impact assessment, business ombudsman, support centres in the regions.",
        ("Yerlan Abenov", "Deputy Chairman of the Board", "protocol@atameken.example"),
    ),
    HostSeed(
        "damu",
        "“Damu” Entrepreneurship Development Fund",
        HostKind.FUND,
        "17 Kabanbay Batyr Ave, Astana",
        "51.128180",
        "71.422090",
        "https://damu.kz",
        "Damu: guarantees and subsidies for small business",
        "Loan guarantees, interest-rate subsidies, the Business Roadmap programme.",
        ("Madina Tulegenova", "Head of Partner Programmes", "partners@damu.example"),
    ),
    HostSeed(
        "sez",
        "Special Economic Zone “Astana – New City”",
        HostKind.SEZ,
        "2 Turan Ave, Astana",
        "51.108300",
        "71.403900",
        "https://sez.example",
        "Special Economic Zone: industrial park and investors",
        "Tax and customs regime, the industrial park, meeting resident companies.",
        ("Nurlan Ospanov", "Head of Investor Relations", "investors@sez.example"),
        "Closed-toe shoes on the industrial site; passport at the gate.",
        5,
    ),
    HostSeed(
        "nu",
        "Nazarbayev University",
        HostKind.UNIVERSITY,
        "53 Kabanbay Batyr Ave, Astana",
        "51.090270",
        "71.398030",
        "https://nu.edu.kz",
        "Nazarbayev University: research university and innovation cluster",
        "Autonomy and governance, the innovation cluster, the technopark, start-ups.",
        ("Asel Nurpeisova", "Director of External Relations", "visits@nu.example"),
    ),
    HostSeed(
        "aitu",
        "Astana IT University",
        HostKind.UNIVERSITY,
        "55/11 Mangilik El Ave, Business Centre EXPO, C1",
        "51.090720",
        "71.418040",
        "https://astanait.edu.kz",
        "Astana IT University: training the digital workforce",
        "Curricula built with industry, the digital competence centre.",
        ("Timur Kassymov", "Vice-Rector", "rector.office@aitu.example"),
    ),
    HostSeed(
        "hub",
        "Astana Hub",
        HostKind.TECH_HUB,
        "55/8 Mangilik El Ave, Astana",
        "51.089560",
        "71.414390",
        "https://astanahub.com",
        "Astana Hub: the international technopark of IT start-ups",
        "Tax preferences for participants, acceleration programmes, GovTech projects.",
        ("Dana Seitkali", "GovTech Programme Manager", "govtech@hub.example"),
    ),
    HostSeed(
        "zerde",
        "“Zerde” National Infocommunication Holding",
        HostKind.HOLDING,
        "55/5 Mangilik El Ave, Astana",
        "51.091000",
        "71.420100",
        "https://zerde.example",
        "Zerde: the state's infocommunication holding",
        "Broadband for villages, the state's data centres, digital content.",
        ("Marat Ibrayev", "Managing Director", "office@zerde.example"),
    ),
    HostSeed(
        "nit",
        "National Information Technologies JSC",
        HostKind.GOVERNMENT,
        "55/14 Mangilik El Ave, Astana",
        "51.089800",
        "71.417200",
        "https://nitec.kz",
        "National Information Technologies: e-government and eGov mobile",
        "The e-government portal, public service centres, proactive services.",
        ("Gulnara Amanova", "Director of the e-Government Department", "egov@nit.example"),
        "Passport required; the visitor list five days ahead for the security desk.",
        5,
    ),
    HostSeed(
        "genplan",
        "AstanaGenPlan Research and Design Institute",
        HostKind.GOVERNMENT,
        "14 Beybitshilik St, Astana",
        "51.172700",
        "71.420700",
        "https://astanagenplan.example",
        "AstanaGenPlan: the city's master plan",
        "Master plan of Astana to 2035, the digital twin of the city, social housing.",
        ("Askar Zhumabayev", "Chief Architect", "info@genplan.example"),
    ),
    HostSeed(
        "nis",
        "Nazarbayev Intellectual Schools",
        HostKind.SCHOOL,
        "21/1 Hussein bin Talal St, Astana",
        "51.117300",
        "71.440500",
        "https://nis.edu.kz",
        "Nazarbayev Intellectual Schools: trilingual education",
        "The school's curriculum, teacher development, spreading practice to state schools.",
        ("Saule Kenzhebayeva", "Deputy Chairperson", "visits@nis.example"),
    ),
    HostSeed(
        "baiterek",
        "National Management Holding “Baiterek”",
        HostKind.HOLDING,
        "55A Mangilik El Ave, Astana",
        "51.093600",
        "71.417300",
        "https://baiterek.gov.kz",
        "Baiterek: development institutions under one holding",
        "Housing construction savings, export support, the Industrial Development Fund.",
        ("Yerzhan Mukanov", "Head of Strategy", "strategy@baiterek.example"),
        "Passport required; the visitor list five days ahead.",
        5,
    ),
    HostSeed(
        "sme",
        "EcoPack Astana LLP (small business)",
        HostKind.SME,
        "47 Industrial Zone, Astana",
        "51.186000",
        "71.502000",
        "https://ecopack.example",
        "An SME that grew with state support: EcoPack Astana",
        "From a Damu-guaranteed loan to export: the founder's story and the plant.",
        ("Arman Beisenov", "Founder and Director", "arman@ecopack.example"),
        "Closed-toe shoes on the production floor.",
        2,
    ),
    HostSeed(
        "green",
        "International Center for Green Technologies and Investment Projects",
        HostKind.INTERNATIONAL,
        "55/23 Mangilik El Ave, EXPO, Astana",
        "51.088100",
        "71.415700",
        "https://igtipc.org",
        "International Center for Green Technologies",
        "Green economy policy, renewable energy projects, the Green Bridge partnership.",
        ("Aliya Bekova", "Head of International Programmes", "programmes@green.example"),
    ),
]

LECTURES = [
    ("The system of state planning of Kazakhstan", "Strategy 2050, national projects and the KPI cascade."),
    ("Reform of the civil service: the Kazakh model", "Merit-based selection, the corps A, rotation."),
    ("Digital government and proactive services", "From one-stop shops to services without application."),
    ("Regional policy and spatial development", "Agglomerations, support settlements, the housing programme."),
    ("Project management in the public sector", "Project offices, national project governance."),
    ("Human capital: education, health, labour market", "Indicators, funding models, outcomes."),
    ("Anti-corruption and open government", "Open budgets, open NPAs, public councils."),
]

FIRST_NAMES_MALE = [
    "Andrey", "Sergey", "Dmitry", "Alexey", "Mikhail", "Igor", "Pavel", "Vladimir",
    "Nikolai", "Oleg", "Denis", "Maxim", "Yuri", "Roman", "Artem", "Konstantin",
]  # fmt: skip
FIRST_NAMES_FEMALE = ["Elena", "Olga", "Natalia", "Irina", "Tatiana", "Anna", "Maria", "Svetlana", "Yulia", "Ekaterina"]
LAST_NAMES = [
    "Ivanov", "Smirnov", "Kuznetsov", "Popov", "Vasiliev", "Petrov", "Sokolov", "Mikhailov",
    "Novikov", "Fedorov", "Morozov", "Volkov", "Alekseev", "Lebedev", "Semenov", "Egorov",
    "Pavlov", "Kozlov", "Stepanov", "Nikolaev", "Orlov", "Andreev", "Makarov", "Zakharov",
]  # fmt: skip
# Stems to which "vich" and "vna" are added: Andree-vich, Viktoro-vich, Igore-vna.
FATHERS = ["Andree", "Sergee", "Viktoro", "Nikolae", "Vladimiro", "Aleksandro", "Petro", "Igore", "Mikhailo"]
REGIONS = [
    ("Tomsk Region", "Asia/Tomsk"),
    ("Novosibirsk Region", "Asia/Novosibirsk"),
    ("Sverdlovsk Region", "Asia/Yekaterinburg"),
    ("Republic of Tatarstan", "Europe/Moscow"),
    ("Krasnoyarsk Territory", "Asia/Krasnoyarsk"),
    ("Irkutsk Region", "Asia/Irkutsk"),
    ("Khabarovsk Territory", "Asia/Vladivostok"),
    ("Omsk Region", "Asia/Omsk"),
    ("Samara Region", "Europe/Samara"),
    ("Kaliningrad Region", "Europe/Kaliningrad"),
    ("Moscow Region", "Europe/Moscow"),
    ("Nizhny Novgorod Region", "Europe/Moscow"),
]
POSITIONS = [
    "Deputy Governor of the {region} for Economics",
    "Deputy Governor of the {region} for Social Policy",
    "Minister of Economic Development of the {region}",
    "Minister of Digital Development of the {region}",
    "Head of the Department of Strategic Planning of the {region}",
    "Minister of Education and Science of the {region}",
    "Head of the Department of Natural Resources of the {region}",
    "Minister of Construction and Housing of the {region}",
    "Deputy Head of the Administration of the Governor of the {region}",
]


def _name(rng: random.Random) -> tuple[str, str, str]:
    father = rng.choice(FATHERS)
    last = rng.choice(LAST_NAMES)
    if rng.random() < 0.3:
        return rng.choice(FIRST_NAMES_FEMALE), last + "a", father + "vna"
    return rng.choice(FIRST_NAMES_MALE), last, father + "vich"


def _at(day: date, hour: int, minute: int, tz) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=tz)


def program_slug(scale: int) -> str:
    return "human-capital-2026" if scale == 1 else f"human-capital-2026-x{scale}"


@transaction.atomic
def load_demo(*, scale: int = 1) -> tuple[Program, bool]:
    """Create the demo program at this scale; (program, created). A second run changes nothing."""
    existing = Program.objects.filter(slug=program_slug(scale)).first()
    if existing is not None:
        return existing, False

    suffix = "" if scale == 1 else f" (×{scale})"
    program = program_create(
        slug=program_slug(scale),
        **{name: text + suffix for name, text in translations("title", PROGRAM_TITLE).items()},
        **translations("description", PROGRAM_DESCRIPTION),
        **translations("host_institution", ACADEMY.name),
        **translations("city", "Astana"),
        timezone=TIMEZONE,
        start_date=PROGRAM_START,
        end_date=PROGRAM_START + timedelta(days=PROGRAM_DAYS - 1),
        status=ProgramStatus.PUBLISHED,
        topics=TOPICS,
    )
    # As `manage.py add_organiser` does; the demo's login has a published password.
    organiser_add(
        program=program,
        username=ORGANISER_USERNAME,
        email="organiser@academy.example",
        password=ORGANISER_PASSWORD,
    )
    academy = _host(ACADEMY)
    hosts = [_host(seed) for seed in HOSTS]
    groups = _groups_and_participants(program=program, scale=scale)
    _schedule(program=program, groups=groups, academy=academy, hosts=hosts)
    load_planning(program=program, scale=scale)  # host windows and visit requests (demo/planning.py)
    hosting_demo(program=program, seeds=[ACADEMY, *HOSTS])  # contacts' languages, visitor fields (demo/hosting.py)
    return program, True


def _host(seed: HostSeed) -> HostOrganisation:
    host = HostOrganisation.objects.filter(name_en=seed.name).first()
    if host is not None:
        return host
    name, role, email = seed.contact
    return host_create(
        **translations("name", seed.name),
        kind=seed.kind,
        **translations("address", seed.address),
        **translations("city", "Astana"),
        website=seed.website,
        latitude=seed.latitude,
        longitude=seed.longitude,
        **translations("visitor_requirements", seed.requirements),
        visitor_list_days_ahead=seed.days_ahead,
        contacts=[{"name": name, "role": role, "email": email, "phone": "+7 7172 00 00 00"}],
    )


def _groups_and_participants(*, program: Program, scale: int) -> list[ProjectGroup]:
    rng = random.Random(f"internship-demo-{scale}")  # noqa: S311 - demo data, not secrets
    groups = []
    number = 0
    for stream in range(scale):
        for index, (short, theme) in enumerate(GROUP_THEMES):
            numbers = (str(index + 1),) if scale == 1 else (str(stream + 1), str(index + 1))
            label = TEXTS["Group %s"] if scale == 1 else TEXTS["Stream %s, group %s"]
            english = ("Group %s" if scale == 1 else "Stream %s, group %s") % numbers
            group = group_create(
                program=program,
                name=f"{english}: {short}",
                name_ru=f"{label[0] % numbers}: {russian(short)}",
                name_kk=f"{label[1] % numbers}: {kazakh(short)}",
                **translations("theme", theme),
            )
            members = []
            for seat in range(PARTICIPANTS_PER_GROUP):
                number += 1
                if number == 1:
                    first, last, patronymic = "Andrey", "Antonov", "Viktorovich"
                    region, zone = REGIONS[0]
                    position = 0  # Deputy Governor of the Tomsk Region for Economics
                else:
                    first, last, patronymic = _name(rng)
                    region, zone = rng.choice(REGIONS)
                    position = rng.choice(range(len(POSITIONS)))
                language = Language.EN if seat % 6 == 5 else Language.RU
                # A Russian-speaking delegate's record is in Russian (demo/people.py); the address stays Latin.
                email = f"{first}.{last}.{number}@delegation.example".lower()
                details = {
                    "first_name": first,
                    "last_name": last,
                    "patronymic": patronymic,
                    "position": POSITIONS[position].format(region=region),
                    "organisation": f"Government of the {region}",
                    "region": region,
                }
                if language == Language.RU:
                    details.update(russian_name(first, last, patronymic))
                    details.update(russian_details(region, position))
                members.append(
                    participant_create(
                        program=program,
                        group=group,
                        **details,
                        email=email,
                        phone=f"+7 900 {number // 10000:03d} {number % 10000:04d}",
                        language=language,
                        home_timezone=zone,
                        notes="Vegetarian meals." if seat % 7 == 3 else "",
                    )
                )
            group_update(group=group, coordinator=members[0])
            groups.append(group)
    return groups


def _schedule(
    *, program: Program, groups: list[ProjectGroup], academy: HostOrganisation, hosts: list[HostOrganisation]
) -> None:
    """A clash-free ten days: plenary sessions per stream of eight groups at the Academy,
    two site visits a day per group, project work, and the closing ceremony."""
    tz = program.tzinfo
    seeds = {seed.name: seed for seed in HOSTS}
    days = [program.start_date + timedelta(days=offset) for offset in range(PROGRAM_DAYS)]
    streams = [groups[i : i + len(GROUP_THEMES)] for i in range(0, len(groups), len(GROUP_THEMES))]
    for stream_no, stream in enumerate(streams):
        suffix = {"": "", "_ru": "", "_kk": ""}
        if len(streams) > 1:
            stream_label = composed("", " (stream %s)", str(stream_no + 1))
            suffix = {key: stream_label[key] for key in ("", "_ru", "_kk")}

        def plenary(title, kind, day, start, end, agenda="", host=academy, _stream=stream, _suffix=suffix):
            titles = title if isinstance(title, dict) else translations("title", title)
            visit_create(
                program=program,
                groups=_stream,
                **{name: text + _suffix[name[5:]] for name, text in titles.items()},
                kind=kind,
                host=host,
                starts_at=_at(day, *start, tz),
                ends_at=_at(day, *end, tz),
                **translations("agenda", agenda),
                **translations("meeting_point", "Main entrance of the Academy" if host == academy else "Hotel lobby"),
                status=VisitStatus.CONFIRMED,
            )

        def lecture(title: str) -> dict:
            return composed("title", "Lecture: %s", title)

        plenary(
            "Opening ceremony", VisitKind.CEREMONY, days[0], (10, 0), (11, 30), "Welcome by the Rector; introductions."
        )
        plenary(lecture(LECTURES[0][0]), VisitKind.LECTURE, days[0], (12, 0), (13, 0), LECTURES[0][1])
        slot = 0
        for day_no, day in enumerate(days[1:8], start=1):
            if day.weekday() == 6:  # Sunday: free day
                continue
            title, agenda = LECTURES[day_no % len(LECTURES)]
            plenary(lecture(title), VisitKind.LECTURE, day, (9, 0), (10, 30), agenda)
            for start, end in (((11, 30), (13, 30)), ((15, 0), (17, 0))):
                for group_no, group in enumerate(stream):
                    host = hosts[(group_no * 5 + slot * 3 + stream_no) % len(hosts)]
                    seed = seeds[host.name_en]
                    visit_create(
                        program=program,
                        groups=[group],
                        **translations("title", seed.visit_title),
                        kind=VisitKind.SITE_VISIT,
                        host=host,
                        starts_at=_at(day, *start, tz),
                        ends_at=_at(day, *end, tz),
                        **translations("agenda", seed.agenda),
                        **translations("meeting_point", "Hotel lobby, 30 minutes before the start"),
                        status=VisitStatus.CONFIRMED if day_no < 4 else VisitStatus.PLANNED,
                    )
                slot += 1
        for group in stream:
            visit_create(
                program=program,
                groups=[group],
                **composed("title", "Project work: %s", group.theme_en),
                kind=VisitKind.WORKSHOP,
                host=academy,
                starts_at=_at(days[8], 10, 0, tz),
                ends_at=_at(days[8], 13, 0, tz),
                **translations("agenda", "Preparing the group's proposals for the final presentation."),
                **translations("meeting_point", "Academy, room assigned on the notice board"),
            )
        plenary("Closing ceremony and presentation of certificates", VisitKind.CEREMONY, days[9], (11, 0), (12, 30))
        plenary("Transfer to the airport", VisitKind.TRANSFER, days[9], (15, 0), (16, 0), host=None)
