"""Personal data: export everything held about a participant, anonymise on request
or when the retention period after their program has passed.

Apps above `participants` (surveys, visits' messages, ...) hold data about a
participant too. They register an exporter (a section of the export), a
message exporter (their part of the messages sent to the participant, merged
into one `messages` list) and an anonymiser here from their
`AppConfig.ready()`, so this module gathers and erases everything without
importing them.
"""

from collections.abc import Callable
from datetime import date
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone

from .enums import ID_DETAIL_FIELDS
from .models import Participant, ProjectGroup, VisitorDetails
from .tokens import new_access_token

Exporter = Callable[[Participant], Any]
MessageExporter = Callable[[Participant], list[dict[str, Any]]]
Anonymiser = Callable[[Participant], None]

_exporters: dict[str, Exporter] = {}
_message_exporters: dict[str, MessageExporter] = {}
_anonymisers: dict[str, Anonymiser] = {}

HISTORY_TYPES = {"+": "created", "~": "changed", "-": "deleted"}

PERSONAL_FIELDS = (
    "first_name",
    "last_name",
    "patronymic",
    "email",
    "phone",
    "position",
    "organisation",
    "notes",
)


def register_exporter(name: str, exporter: Exporter) -> None:
    """Add a section `name` to every participant export."""
    _exporters[name] = exporter


def register_message_exporter(name: str, exporter: MessageExporter) -> None:
    """Add the messages `exporter(participant)` lists (dicts with an ISO `created_at`) to every
    export's `messages`, the e-mails sent (or queued) to the participant, oldest first."""
    _message_exporters[name] = exporter


def register_anonymiser(name: str, anonymiser: Anonymiser) -> None:
    """Run `anonymiser(participant)` whenever a participant is anonymised."""
    _anonymisers[name] = anonymiser


def participant_export(*, participant: Participant) -> dict[str, Any]:
    """Everything the portal holds about one participant, as JSON-ready data."""
    program = participant.program
    group = participant.group
    data: dict[str, Any] = {
        "exported_at": timezone.now().isoformat(),
        "participant": {
            "id": participant.pk,
            "first_name": participant.first_name,
            "last_name": participant.last_name,
            "patronymic": participant.patronymic,
            "email": participant.email,
            "phone": participant.phone,
            "position": participant.position,
            "organisation": participant.organisation,
            "region": participant.region,
            "language": participant.language,
            "notes": participant.notes,
            "home_timezone": participant.home_timezone,
            "login": participant.user.get_username() if participant.user_id else None,
            "created_at": participant.created_at.isoformat(),
            "updated_at": participant.updated_at.isoformat(),
            "anonymised_at": participant.anonymised_at.isoformat() if participant.anonymised_at else None,
        },
        "program": {"slug": program.slug, "title": program.title},
        "group": {"id": group.pk, "name": group.name, "theme": group.theme} if group else None,
        "coordinates_groups": [
            {"id": pk, "name": name} for pk, name in participant.coordinated_groups.values_list("pk", "name")
        ],
        "history": _history(participant),
        "visitor_details": _visitor_details(participant),
    }
    messages: list[dict[str, Any]] = []
    for _name, exporter in sorted(_message_exporters.items()):
        messages.extend(exporter(participant))
    data["messages"] = sorted(messages, key=lambda message: message["created_at"])
    for name, exporter in sorted(_exporters.items()):
        data[name] = exporter(participant)
    return data


def _visitor_details(participant: Participant) -> dict[str, str] | None:
    """The ID details given for the hosts' security desks, decrypted (or None if none were given)."""
    details = VisitorDetails.objects.filter(participant=participant).first()
    if details is None:
        return None
    return {name: getattr(details, name) for name in ID_DETAIL_FIELDS} | {"updated_at": details.updated_at.isoformat()}


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, (str, int, float, bool, list, dict)):
        return value
    return DjangoJSONEncoder().default(value)


def _history(participant: Participant) -> list[dict[str, Any]]:
    """Every recorded version of the participant (the audit trail), oldest first."""
    records = participant.history.order_by("history_date", "history_id")
    skipped = {"history_id", "history_date", "history_type", "history_change_reason", "history_user", "history_actor"}
    return [
        {
            "type": HISTORY_TYPES.get(record.history_type, record.history_type),
            "at": record.history_date.isoformat(),
            "by": record.history_actor,
            **{
                field.attname: _plain(getattr(record, field.attname))
                for field in record._meta.fields
                if field.name not in skipped
            },
        }
        for record in records
    ]


@transaction.atomic
def participant_anonymise(*, participant: Participant) -> Participant:
    """Replace the participant's personal fields with placeholders, keeping the row
    (group, region, language) so that the program's statistics stay whole.

    The personal link stops working, any login is detached and a group they
    coordinated has no coordinator any more. Other apps' registered anonymisers
    run in the same transaction. Idempotent."""
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    placeholder = f"Participant {participant.pk}"
    participant.first_name = placeholder
    participant.last_name = ""
    participant.patronymic = ""
    participant.email = f"anonymised-{participant.pk}@invalid.invalid"
    participant.phone = ""
    participant.position = ""
    participant.organisation = ""
    participant.notes = ""
    participant.user = None
    participant.access_token = new_access_token()
    if participant.anonymised_at is None:
        participant.anonymised_at = timezone.now()
    participant.save()
    # The ID details given for the hosts' security desks go entirely.
    VisitorDetails.objects.filter(participant=participant).delete()
    for group in ProjectGroup.objects.filter(coordinator=participant):
        group.coordinator = None
        group.save(update_fields=["coordinator"])
    # The audit trail held the same personal fields: scrub them there too.
    Participant.history.filter(id=participant.pk).update(
        **{name: getattr(participant, name) for name in PERSONAL_FIELDS}, user=None
    )
    for _name, anonymiser in sorted(_anonymisers.items()):
        anonymiser(participant)
    return participant


def retention_cutoff(*, today: date, months: int) -> date:
    """Programs that ended before this date are past the retention period."""
    month_index = today.year * 12 + (today.month - 1) - months
    year, month = divmod(month_index, 12)
    # Clamp the day for short months (31 March − 1 month → 28/29 February).
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month + 1, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def participants_anonymise_expired(*, today: date | None = None) -> int:
    """Anonymise the participants of every program that ended more than
    `PERSONAL_DATA_RETENTION_MONTHS` ago. Returns how many were anonymised."""
    months = settings.PERSONAL_DATA_RETENTION_MONTHS
    cutoff = retention_cutoff(today=today or timezone.localdate(), months=months)
    expired = Participant.objects.filter(program__end_date__lt=cutoff, anonymised_at__isnull=True)
    count = 0
    for participant in expired.iterator():
        participant_anonymise(participant=participant)
        count += 1
    return count
