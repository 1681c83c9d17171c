"""The outbox in the admin: an organiser sees their programs' send-outs with their progress."""

import pytest

pytestmark = pytest.mark.django_db


def test_sendout_changelist_shows_each_sendouts_progress(side_a, organiser_client):
    page = organiser_client.get("/admin/notifications/sendout/").content.decode()

    # build_side queued one survey invitation and one schedule per participant (two of each).
    assert page.count("0 sent, 2 queued, 0 failed of 2") == 2
