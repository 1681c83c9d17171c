from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VisitsConfig(AppConfig):
    name = "visits"
    verbose_name = _("Site visits")

    def ready(self) -> None:
        # The scheduling rules that writes to programs and groups must obey (programs.rules):
        # programs and participants sit below visits, so they ask the registry.
        from programs import rules

        from . import services

        rules.rule_register(event=rules.PROGRAM_DATES, name="visits", check=services.program_dates_check)
        rules.rule_register(event=rules.GROUP_JOIN, name="visits", check=services.group_capacity_check)
        rules.rule_register(event=rules.GROUP_DELETE, name="visits", check=services.group_delete_check)
