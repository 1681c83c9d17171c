from django.apps import AppConfig


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = "Site visits"

    def ready(self) -> None:
        # Change notices: every schedule edit marks the program as having pending changes.
        from participants.signals import participant_saved

        from . import notices
        from .signals import visit_changed

        visit_changed.connect(notices.on_visit_changed, dispatch_uid="visits.notices.on_visit_changed")
        participant_saved.connect(notices.on_participant_saved, dispatch_uid="visits.notices.on_participant_saved")
        notices.register_renderers()

        # Webhooks for partner apps (visit.created / visit.updated / visit.cancelled).
        from .api import events as api_events

        visit_changed.connect(api_events.on_visit_changed, dispatch_uid="visits.api.events.on_visit_changed")

        # The scheduling rules that writes to programs and groups must obey.
        from programs import rules

        from . import services

        rules.rule_register(event=rules.PROGRAM_DATES, name="visits", check=services.program_dates_check)
        rules.rule_register(event=rules.GROUP_JOIN, name="visits", check=services.group_capacity_check)
        rules.rule_register(event=rules.GROUP_DELETE, name="visits", check=services.group_delete_check)

        # A visit's updated_at covers the names of its groups.
        from . import versions  # noqa: F401 - connects the receivers
