from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HostingConfig(AppConfig):
    name = "hosting"
    verbose_name = _("Hosts in the loop")

    def ready(self) -> None:
        from notifications.registry import register_renderer
        from programs import rules

        from . import services

        # A confirmed visit moved or re-staffed (visits.services.visit_update): the host is told.
        rules.rule_register(event=rules.VISIT_HOST_ASKED_AGAIN, name="hosting", check=services.host_tell_visit_changed)
        register_renderer(services.HOST_REQUEST_KIND, services.render_host_request)
        register_renderer(services.VISITOR_DETAILS_KIND, services.render_visitor_details_request)
