"""A program's `updated_at` covers its topics.

Representations cached by version (the API's itinerary JSON shows the program's
topics) read the program's `updated_at` instead of its topics: so a topic added
to or removed from a program, and a topic renamed or deleted, touch every
program it belongs to, whoever makes the change through the models (service,
admin, shell). A bulk `QuerySet.update()` of topics bypasses this: do not use one.
"""

from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone

from .models import Program, Topic


def programs_touch(*, topic: Topic) -> None:
    Program.objects.filter(topics=topic).update(updated_at=timezone.now())


@receiver(post_save, sender=Topic, dispatch_uid="programs.topic_saved")
def _topic_saved(sender, instance: Topic, created: bool, raw: bool = False, **kwargs) -> None:
    if not created and not raw:
        programs_touch(topic=instance)


@receiver(pre_delete, sender=Topic, dispatch_uid="programs.topic_deleted")
def _topic_deleted(sender, instance: Topic, **kwargs) -> None:
    programs_touch(topic=instance)


@receiver(m2m_changed, sender=Program.topics.through, dispatch_uid="programs.topics_changed")
def _program_topics_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
        return
    now = timezone.now()
    if not reverse:  # program.topics.add/remove/clear
        Program.objects.filter(pk=instance.pk).update(updated_at=now)
        instance.updated_at = now
    elif action == "pre_clear":  # topic.programs.clear(): the programs are known only before
        Program.objects.filter(topics=instance).update(updated_at=now)
    elif pk_set:  # topic.programs.add/remove
        Program.objects.filter(pk__in=pk_set).update(updated_at=now)
