"""An admin save calls its service once: the write the organiser sees is the one that was checked."""

from unittest import mock

import pytest

from surveys import admin as surveys_admin
from surveys.models import Survey
from visits import services as visit_services

from .pages import form_values

pytestmark = pytest.mark.django_db


def test_admin_change_calls_the_service_once(side_a, organiser_client):
    url = f"/admin/visits/hostorganisation/{side_a.host.pk}/change/"
    data = form_values(organiser_client.get(url), address="1 Mangilik El Ave, Astana")

    with mock.patch.object(visit_services, "host_update", wraps=visit_services.host_update) as host_update:
        response = organiser_client.post(url, data)

    assert response.status_code == 302
    assert host_update.call_count == 1


def test_admin_add_calls_the_service_once(side_a, organiser_client):
    url = "/admin/surveys/survey/add/"
    data = form_values(
        organiser_client.get(url),
        program=str(side_a.program.pk),
        title_en="Week one",
        opens_at_0=side_a.program.start_date.isoformat(),
        opens_at_1="08:00:00",
        closes_at_0=side_a.program.end_date.isoformat(),
        closes_at_1="20:00:00",
    )

    with mock.patch.object(surveys_admin, "survey_create", wraps=surveys_admin.survey_create) as survey_create:
        response = organiser_client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert survey_create.call_count == 1


def test_admin_webhook_change_calls_the_service_once(partner, superuser_client):
    from partners import admin as partners_admin

    webhook = partner.webhooks.get()
    url = f"/admin/partners/webhook/{webhook.pk}/change/"
    data = form_values(superuser_client.get(url), url="https://hr.example/hooks/v2")

    with mock.patch.object(partners_admin, "webhook_update", wraps=partners_admin.webhook_update) as webhook_update:
        response = superuser_client.post(url, data)

    assert response.status_code == 302
    assert webhook_update.call_count == 1
    webhook.refresh_from_db()
    assert webhook.url == "https://hr.example/hooks/v2"


def test_admin_write_is_undone_when_an_inline_row_is_refused(side_a, organiser_client):
    url = f"/admin/surveys/survey/{side_a.survey.pk}/change/"
    data = {
        **form_values(organiser_client.get(url), title_en="Renamed"),
        "questions-TOTAL_FORMS": "2",
        "questions-1-position": "1",
        "questions-1-kind": "choice",
        "questions-1-text": "Most useful part",
        "questions-1-choices": '["Talks"]',
    }

    response = organiser_client.post(url, data)

    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors[1]
    assert Survey.objects.get(pk=side_a.survey.pk).title == "Feedback A"


def test_service_form_outside_an_admin_page_refuses_to_validate(side_a):
    page = {"title_en": "Renamed", "opens_at": side_a.survey.opens_at, "closes_at": side_a.survey.closes_at}
    form = surveys_admin.SurveyAdminForm(page, instance=side_a.survey)

    with pytest.raises(TypeError, match="service_writes"):
        form.is_valid()
    assert Survey.objects.get(pk=side_a.survey.pk).title == "Feedback A"
