"""Webhooks: signed POSTs to a real local receiver, after commit, retried with backoff, never sent twice."""

import json
from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from partners.enums import DeliveryStatus
from partners.models import WebhookDelivery
from partners.services import api_client_revoke, webhook_delivery_send
from partners.signing import signature_matches
from tests.api.conftest import client_with_token
from tests.factories import ParticipantFactory, ProgramFactory, ProjectGroupFactory, local
from visits.services import visit_create

pytestmark = pytest.mark.django_db

DAY = date(2026, 12, 8)


@pytest.fixture
def partner(db):
    from partners.services import api_client_create

    client, token = api_client_create(name="Sending academy LMS", scopes=["read", "write"])
    api = client_with_token(token)
    api.partner = client
    return api


def subscribe(api, receiver, events):
    response = api.post("/api/v1/webhooks/", {"url": receiver.url, "events": events}, format="json")
    assert response.status_code == 201, response.content
    return response.json()


def visit_body(group, start=10, end=12):
    return {
        "title": "Astana Hub",
        "starts_at": f"2026-12-08T{start:02d}:00:00+05:00",
        "ends_at": f"2026-12-08T{end:02d}:00:00+05:00",
        "groups": [group.pk],
    }


def test_visit_created_is_posted_signed_with_the_api_json(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    hook = subscribe(partner, receiver, ["visit.created"])

    with django_capture_on_commit_callbacks(execute=True):
        created = partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")

    assert created.status_code == 201
    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["path"] == "/hooks/portal"
    assert request["headers"]["Content-Type"] == "application/json"
    assert signature_matches(
        secret=hook["secret"], body=request["body"], signature=request["headers"]["X-Portal-Signature"]
    )
    assert not signature_matches(
        secret="another secret", body=request["body"], signature=request["headers"]["X-Portal-Signature"]
    )
    envelope = json.loads(request["body"])
    assert envelope["event"] == "visit.created"
    assert envelope["program"] == program.slug
    assert envelope["data"] == partner.get(f"/api/v1/programs/{program.slug}/visits/{created.json()['id']}/").json()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.DELIVERED, 1, 200)
    assert envelope["delivery"] == delivery.pk
    assert delivery.delivered_at is not None


def test_signature_is_hmac_sha256_of_the_raw_body(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    import hashlib
    import hmac

    hook = subscribe(partner, receiver, ["visit.created"])
    with django_capture_on_commit_callbacks(execute=True):
        partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")

    request = receiver.requests[0]
    expected = "sha256=" + hmac.new(hook["secret"].encode(), request["body"], hashlib.sha256).hexdigest()
    assert request["headers"]["X-Portal-Signature"] == expected


@override_settings(PARTNERS_WEBHOOK_BACKOFF_SECONDS=0)
def test_receiver_failing_once_gets_a_retry_and_the_delivery_ends_delivered_with_two_attempts(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    subscribe(partner, receiver, ["visit.created"])
    receiver.answers.extend([500, 200])

    with django_capture_on_commit_callbacks(execute=True):
        partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.DELIVERED, 2, 200)
    assert delivery.last_error == ""
    assert len(receiver.requests) == 2
    assert receiver.requests[0]["body"] == receiver.requests[1]["body"]
    assert (
        receiver.requests[0]["headers"]["X-Portal-Signature"] == receiver.requests[1]["headers"]["X-Portal-Signature"]
    )


def test_failure_backs_off_and_the_sweep_sends_when_due(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    subscribe(partner, receiver, ["visit.created"])
    receiver.answers.append(503)

    with django_capture_on_commit_callbacks(execute=True):
        partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.PENDING, 1, 503)
    assert delivery.next_attempt_at > timezone.now() + timedelta(seconds=20)
    assert "503" in delivery.last_error

    call_command("dispatch_webhooks")  # not due yet: nothing is sent
    assert len(receiver.requests) == 1

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    call_command("dispatch_webhooks")

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.DELIVERED, 2, 200)
    assert len(receiver.requests) == 2


@override_settings(PARTNERS_WEBHOOK_BACKOFF_SECONDS=0, PARTNERS_WEBHOOK_MAX_ATTEMPTS=3)
def test_delivery_fails_after_the_last_attempt(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    subscribe(partner, receiver, ["visit.created"])
    receiver.answers.extend([500, 500, 500, 500])

    with django_capture_on_commit_callbacks(execute=True):
        partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")

    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_response_code) == (DeliveryStatus.FAILED, 3, 500)
    assert len(receiver.requests) == 3


def test_unreachable_receiver_is_recorded_as_an_error(
    program, group, partner, celery_eager, django_capture_on_commit_callbacks
):
    partner.post("/api/v1/webhooks/", {"url": "http://127.0.0.1:9/closed", "events": ["visit.created"]}, format="json")

    with django_capture_on_commit_callbacks(execute=True):
        partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == DeliveryStatus.PENDING
    assert delivery.last_response_code is None
    assert delivery.last_error


def test_broker_down_leaves_the_row_pending_and_dispatch_sends_it(
    program, group, partner, receiver, django_capture_on_commit_callbacks, caplog
):
    subscribe(partner, receiver, ["visit.created"])

    with (
        mock.patch(
            "partners.tasks.task_deliver_webhook.apply_async", side_effect=ConnectionRefusedError("broker down")
        ),
        django_capture_on_commit_callbacks(execute=True),
    ):
        created = partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")

    assert created.status_code == 201
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.PENDING, 0)
    assert receiver.requests == []
    assert "dispatch_webhooks will send it" in caplog.text

    call_command("dispatch_webhooks")

    delivery.refresh_from_db()
    assert delivery.status == DeliveryStatus.DELIVERED
    assert len(receiver.requests) == 1


def test_a_delivery_is_never_sent_twice(program, group, partner, receiver, django_capture_on_commit_callbacks):
    subscribe(partner, receiver, ["visit.created"])
    with (
        mock.patch("partners.tasks.task_deliver_webhook.apply_async"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group), format="json")
    delivery = WebhookDelivery.objects.get()

    first = webhook_delivery_send(delivery_id=delivery.pk)
    second = webhook_delivery_send(delivery_id=delivery.pk)
    call_command("dispatch_webhooks")

    assert (first.status, second.status) == ("delivered", "skipped")
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert delivery.attempts == 1


def test_only_subscribed_events_are_delivered(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    subscribe(partner, receiver, ["visit.cancelled"])
    visit = visit_create(
        program=program, groups=[group], title="A", starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12)
    )

    with django_capture_on_commit_callbacks(execute=True):
        partner.patch(f"/api/v1/programs/{program.slug}/visits/{visit.pk}/", {"title": "B"}, format="json")
        partner.delete(f"/api/v1/programs/{program.slug}/visits/{visit.pk}/")

    assert [json.loads(r["body"])["event"] for r in receiver.requests] == ["visit.cancelled"]
    assert json.loads(receiver.requests[0]["body"])["data"]["status"] == "cancelled"
    assert json.loads(receiver.requests[0]["body"])["data"]["title"] == "B"


def test_visit_updated_event(program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks):
    subscribe(partner, receiver, ["visit.updated"])
    visit = visit_create(
        program=program, groups=[group], title="A", starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12)
    )

    with django_capture_on_commit_callbacks(execute=True):
        partner.patch(
            f"/api/v1/programs/{program.slug}/visits/{visit.pk}/",
            {"ends_at": "2026-12-08T13:00:00+05:00"},
            format="json",
        )

    envelope = json.loads(receiver.requests[0]["body"])
    assert envelope["event"] == "visit.updated"
    assert envelope["data"]["ends_at"] == "2026-12-08T13:00:00+05:00"


def test_participant_events_carry_the_participant_json(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    subscribe(partner, receiver, ["participant.created", "participant.updated"])
    body = {"first_name": "Andrey", "last_name": "Antonov", "email": "a.antonov@tomsk.example", "group": group.pk}

    with django_capture_on_commit_callbacks(execute=True):
        created = partner.post(f"/api/v1/programs/{program.slug}/participants/", body, format="json")
        partner.patch(
            f"/api/v1/programs/{program.slug}/participants/{created.json()['id']}/",
            {"region": "Tomsk Region"},
            format="json",
        )

    envelopes = [json.loads(r["body"]) for r in receiver.requests]
    assert [e["event"] for e in envelopes] == ["participant.created", "participant.updated"]
    assert envelopes[0]["data"] == created.json()
    assert envelopes[1]["data"]["region"] == "Tomsk Region"


def test_program_limited_client_gets_no_events_of_other_programs(
    program, group, make_api, receiver, celery_eager, django_capture_on_commit_callbacks
):
    other = ProgramFactory()
    limited = make_api(programs=[other])
    subscribe(limited, receiver, ["visit.created", "participant.created"])

    with django_capture_on_commit_callbacks(execute=True):
        visit_create(
            program=program,
            groups=[group],
            title="A",
            starts_at=local(program, DAY, 10),
            ends_at=local(program, DAY, 12),
        )
        ParticipantFactory(program=program, group=group)
        other_group = ProjectGroupFactory(program=other)
        visit_create(
            program=other,
            groups=[other_group],
            title="Theirs",
            starts_at=local(other, DAY, 10),
            ends_at=local(other, DAY, 12),
        )

    assert [json.loads(r["body"])["data"]["title"] for r in receiver.requests] == ["Theirs"]


def test_revoked_client_gets_no_deliveries(
    program, group, partner, receiver, celery_eager, django_capture_on_commit_callbacks
):
    subscribe(partner, receiver, ["visit.created"])
    api_client_revoke(client=partner.partner)

    with django_capture_on_commit_callbacks(execute=True):
        visit_create(
            program=program,
            groups=[group],
            title="A",
            starts_at=local(program, DAY, 10),
            ends_at=local(program, DAY, 12),
        )

    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


def test_no_deliveries_written_when_the_visit_is_refused(
    program, group, partner, receiver, django_capture_on_commit_callbacks
):
    subscribe(partner, receiver, ["visit.created"])
    visit_create(
        program=program, groups=[group], title="A", starts_at=local(program, DAY, 10), ends_at=local(program, DAY, 12)
    )
    WebhookDelivery.objects.all().delete()

    with django_capture_on_commit_callbacks(execute=True):
        response = partner.post(f"/api/v1/programs/{program.slug}/visits/", visit_body(group, 11, 13), format="json")

    assert response.status_code == 409
    assert not WebhookDelivery.objects.exists()


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"url": "ftp://example.org/x", "events": ["visit.created"]}, "url"),
        ({"url": "https://example.org/x", "events": ["visit.deleted"]}, "events"),
        ({"url": "https://example.org/x", "events": []}, "events"),
        ({"url": "https://example.org/x", "events": ["visit.created"], "secret": "mine"}, "secret"),
    ],
)
def test_bad_webhook_registration_answers_400(partner, body, field):
    response = partner.post("/api/v1/webhooks/", body, format="json")

    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_webhooks_are_private_to_their_client(partner, make_api, receiver):
    hook = subscribe(partner, receiver, ["visit.created"])
    stranger = make_api(name="Someone else")

    assert stranger.get("/api/v1/webhooks/").json()["count"] == 0
    assert stranger.get(f"/api/v1/webhooks/{hook['id']}/").status_code == 404
    assert stranger.delete(f"/api/v1/webhooks/{hook['id']}/").status_code == 404
    assert partner.delete(f"/api/v1/webhooks/{hook['id']}/").status_code == 204
    assert partner.get("/api/v1/webhooks/").json()["count"] == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_senders_racing_for_one_delivery_post_it_once(receiver):
    """A duplicated task and the sweep take the same row at the same moment: one POST."""
    import threading

    from django.db import connection

    from partners.services import api_client_create, webhook_create, webhook_event_emit

    program = ProgramFactory()
    client, _token = api_client_create(name="LMS", scopes=["read"])
    webhook_create(client=client, url=receiver.url, events=["visit.created"])
    with mock.patch("partners.tasks.task_deliver_webhook.apply_async"):
        webhook_event_emit(program_id=program.pk, event="visit.created", payload={"id": 1})
    delivery = WebhookDelivery.objects.get()
    barrier = threading.Barrier(2)
    outcomes = []

    def send():
        try:
            barrier.wait()
            outcomes.append(webhook_delivery_send(delivery_id=delivery.pk).status)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["delivered", "skipped"]
    assert len(receiver.requests) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (DeliveryStatus.DELIVERED, 1)
