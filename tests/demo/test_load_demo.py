from io import StringIO
from itertools import pairwise

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from participants.models import Participant, ProjectGroup
from programs.models import Program
from visits.models import HostOrganisation, SiteVisit, VisitGroup

pytestmark = pytest.mark.django_db

SEED_HOSTS = [
    "AIFC",
    "Atameken",
    "Damu",
    "Special Economic Zone",
    "Nazarbayev University",
    "IT University",
    "Astana Hub",
    "Zerde",
    "National Information Technologies",
    "AstanaGenPlan",
    "Nazarbayev Intellectual Schools",
    "Baiterek",
    "small business",
    "International Center for Green Technologies",
]


def snapshot():
    return {
        "programs": list(Program.objects.values_list("slug", "title", "updated_at")),
        "groups": list(ProjectGroup.objects.values_list("id", "name", "coordinator_id")),
        "participants": list(Participant.objects.values_list("id", "email", "access_token", "updated_at")),
        "hosts": list(HostOrganisation.objects.values_list("id", "name")),
        "visits": list(SiteVisit.objects.values_list("id", "title", "starts_at", "sequence", "updated_at")),
        "bookings": list(VisitGroup.objects.values_list("id", "visit_id", "group_id")),
        "users": list(get_user_model().objects.values_list("id", "username", "password")),
    }


def test_load_demo_recreates_the_seed_program():
    out = StringIO()
    call_command("load_demo", stdout=out)

    program = Program.objects.get(slug="human-capital-2026")
    assert program.title == "Development of human capital in the interests of achieving national goals"
    assert program.city == "Astana"
    assert program.timezone == "Asia/Almaty"
    assert (program.end_date - program.start_date).days + 1 == 10
    assert program.groups.count() == 8
    assert program.participants.count() >= 80
    topics = set(program.topics.values_list("name", flat=True))
    assert {"Strategic planning", "Digital transformation", "Environment", "Spatial development"} <= topics
    names = list(HostOrganisation.objects.values_list("name", flat=True))
    for seed in SEED_HOSTS:
        assert any(seed in name for name in names), seed
    # A Russian-speaking delegate's record is in Russian, as their papers are; an English speaker's in English.
    antonov = Participant.objects.get(program=program, last_name="Антонов", first_name="Андрей")
    assert (antonov.patronymic, antonov.language) == ("Викторович", "ru")
    assert antonov.position == "Заместитель губернатора Томской области по экономике"
    assert (antonov.organisation, antonov.region) == ("Правительство Томской области", "Томская область")
    assert antonov.email == "andrey.antonov.1@delegation.example"
    english = program.participants.filter(language="en").first()
    assert english.last_name.isascii()
    assert english.position.startswith(("Deputy", "Minister", "Head"))
    assert program.visits.count() > 100
    assert "organiser" in out.getvalue()
    assert get_user_model().objects.get(username="organiser").check_password("astana-demo-2026")


def test_load_demo_schedule_is_clash_free():
    call_command("load_demo", stdout=StringIO())

    rows = list(VisitGroup.objects.filter(is_cancelled=False).order_by("group_id", "starts_at"))
    for previous, current in pairwise(rows):
        if previous.group_id == current.group_id:
            assert previous.ends_at <= current.starts_at, (previous, current)


def test_load_demo_twice_changes_nothing():
    call_command("load_demo", stdout=StringIO())
    before = snapshot()

    out = StringIO()
    call_command("load_demo", stdout=out)

    assert snapshot() == before
    assert "nothing changed" in out.getvalue()


def test_load_demo_scale_builds_a_larger_program_beside_the_first():
    call_command("load_demo", "--scale", "2", stdout=StringIO())

    program = Program.objects.get(slug="human-capital-2026-x2")
    assert program.groups.count() == 16
    assert program.participants.count() == 16 * 12
    assert program.visits.count() > 200


def test_load_demo_refuses_a_silly_scale():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--scale"):
        call_command("load_demo", "--scale", "0", stdout=StringIO())


def test_load_demo_organiser_works_in_the_admin_without_model_permissions(client):
    from django.contrib.auth.models import Permission

    call_command("load_demo", stdout=StringIO())
    other = Program.objects.create(
        slug="other",
        title="Other",
        host_institution="-",
        city="Astana",
        timezone="Asia/Almaty",
        start_date="2026-12-01",
        end_date="2026-12-02",
    )

    assert not Permission.objects.filter(group__name="organisers").exists()
    assert client.login(username="organiser", password="astana-demo-2026")
    response = client.get("/admin/programs/program/")
    assert [program.slug for program in response.context["cl"].result_list] == ["human-capital-2026"]
    assert client.get(f"/admin/programs/program/{other.pk}/change/").status_code == 302


PATRONYMIC_STEMS = ("Andree", "Sergee", "Viktoro", "Nikolae", "Vladimiro", "Aleksandro", "Petro", "Igore", "Mikhailo")
RUSSIAN_STEMS = ("Андрее", "Сергее", "Викторо", "Николае", "Владимиро", "Александро", "Петро", "Игоре", "Михайло")


def test_load_demo_patronymics_are_spelled_as_in_russian():
    call_command("load_demo", stdout=StringIO())

    latin = set(Participant.objects.filter(language="en").values_list("patronymic", flat=True))
    cyrillic = set(Participant.objects.filter(language="ru").values_list("patronymic", flat=True))

    assert latin
    assert cyrillic
    assert not [name for name in latin if "vv" in name or name.endswith("evvich")]
    correct = {stem + ending for stem in PATRONYMIC_STEMS for ending in ("vich", "vna")}
    assert latin <= correct, sorted(latin - correct)
    russian = {stem + ending for stem in RUSSIAN_STEMS for ending in ("вич", "вна")}
    assert cyrillic <= russian, sorted(cyrillic - russian)
    assert "Андреевна" in russian
    assert "Андрееввич" not in cyrillic
