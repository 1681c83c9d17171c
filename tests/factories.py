"""factory_boy factories: plain, valid objects with no surprises."""

from datetime import date, datetime, time

import factory

from participants.models import Participant, ProjectGroup
from programs.models import Program
from visits.models import HostContact, HostOrganisation, SiteVisit


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program

    slug = factory.Sequence(lambda n: f"program-{n}")
    title = factory.Sequence(lambda n: f"Program {n}")
    host_institution = "Academy of Public Administration"
    city = "Astana"
    timezone = "Asia/Almaty"
    start_date = date(2026, 12, 7)
    end_date = date(2026, 12, 16)
    status = "published"


class ProjectGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectGroup

    program = factory.SubFactory(ProgramFactory)
    name = factory.Sequence(lambda n: f"Group {n}")
    theme = "Digital transformation"


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participant

    program = factory.SubFactory(ProgramFactory)
    group = factory.SubFactory(ProjectGroupFactory, program=factory.SelfAttribute("..program"))
    first_name = "Andrey"
    last_name = factory.Sequence(lambda n: f"Antonov{n}")
    patronymic = "Viktorovich"
    email = factory.Sequence(lambda n: f"participant{n}@delegation.example")
    position = "Deputy Governor of the Tomsk Region for Economics"
    organisation = "Government of the Tomsk Region"
    region = "Tomsk Region"
    language = "ru"
    home_timezone = "Asia/Tomsk"


class HostOrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostOrganisation

    name = factory.Sequence(lambda n: f"Host organisation {n}")
    kind = "university"
    address = factory.Sequence(lambda n: f"{n} Kabanbay Batyr Ave, Astana")
    city = "Astana"


class HostContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HostContact

    host = factory.SubFactory(HostOrganisationFactory)
    name = "Asel Nurpeisova"
    role = "Director of External Relations"
    email = factory.Sequence(lambda n: f"contact{n}@host.example")


def local(program: Program, day: date, hour: int, minute: int = 0) -> datetime:
    """An aware datetime at this local wall time in the program's zone."""
    return datetime.combine(day, time(hour, minute), tzinfo=program.tzinfo)


class SiteVisitFactory(factory.django.DjangoModelFactory):
    """A visit row without bookings; schedule through visits.services for groups."""

    class Meta:
        model = SiteVisit

    program = factory.SubFactory(ProgramFactory)
    host = factory.SubFactory(HostOrganisationFactory)
    title = factory.Sequence(lambda n: f"Visit {n}")
    starts_at = factory.LazyAttribute(lambda o: local(o.program, o.program.start_date, 10))
    ends_at = factory.LazyAttribute(lambda o: local(o.program, o.program.start_date, 12))


def mark_all_told() -> None:
    """Every program's changes count as told (as after a release of change notices)."""
    from notices.models import NoticeRelease
    from programs.models import Program

    for pk, version in Program.objects.values_list("pk", "version"):
        NoticeRelease.objects.update_or_create(program_id=pk, defaults={"released_version": version})


def untold_program_ids() -> set[int]:
    """The programs with changes not yet told in change notices."""
    from notices.services import programs_with_changes_untold

    return set(programs_with_changes_untold().values_list("pk", flat=True))
