"""A visit's `updated_at` covers the names of its groups.

Representations cached by version (the personal page's schedule lists every
group on a joint visit) read the visits' `updated_at` instead of the names of
their groups: so a group renamed or deleted touches every visit it is booked
on, whoever makes the change through the models (service, admin, shell). A
bulk `QuerySet.update()` of groups bypasses this: do not use one. A group added
to or removed from a visit goes through `visits.services`, which saves the visit.
"""

from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from participants.models import ProjectGroup

from .models import SiteVisit


def visits_touch(*, group: ProjectGroup) -> None:
    SiteVisit.objects.filter(bookings__group=group).update(updated_at=timezone.now())


@receiver(post_save, sender=ProjectGroup, dispatch_uid="visits.group_saved")
def _group_saved(sender, instance: ProjectGroup, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        visits_touch(group=instance)


@receiver(pre_delete, sender=ProjectGroup, dispatch_uid="visits.group_deleted")
def _group_deleted(sender, instance: ProjectGroup, **kwargs) -> None:
    visits_touch(group=instance)
