"""Who changed what, and when: the audit trail of programs, groups, participants,
hosts and visits, kept by django-simple-history.

Every historical row names its actor: an organiser (the login user, also kept
as `history_user`), a partner app ("API client <name>", from the API token),
a participant's personal link, or "system" (commands, beat tasks).
"""

from django.contrib.auth import get_user_model
from django.db import models
from django.dispatch import receiver
from django.utils.translation import gettext
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record


class ActorFields(models.Model):
    history_actor = models.CharField("changed by", max_length=200, blank=True)

    class Meta:
        abstract = True


def _login_user(request, **kwargs):
    user = getattr(request, "user", None)
    if isinstance(user, get_user_model()) and user.is_authenticated:
        return user
    return None


def describe_actor(request) -> str:
    """A readable name for whoever made the request (or "system" outside one)."""
    if request is None:
        return "system"
    user = _login_user(request)
    if user is not None:
        return f"user {user.get_username()}"
    client = getattr(request, "auth", None)
    if client is not None and hasattr(client, "name"):
        return f"API client {client.name}"
    if request.path.startswith("/i/"):
        return "participant (personal link)"
    if request.path.startswith("/h/"):
        return "host contact (link)"
    return "anonymous"


def actor_label(actor: str) -> str:
    """A stored actor (`describe_actor`'s English, kept as data) as the reader's language names it."""
    for prefix, label in (("user ", gettext("user %(name)s")), ("API client ", gettext("API client %(name)s"))):
        if actor.startswith(prefix):
            return label % {"name": actor[len(prefix) :]}
    fixed = {
        "system": gettext("system"),
        "participant (personal link)": gettext("participant (personal link)"),
        "host contact (link)": gettext("host contact (link)"),
        "anonymous": gettext("anonymous"),
    }
    return fixed.get(actor, actor)


def audited(*, bases: tuple = (ActorFields,), **kwargs) -> HistoricalRecords:
    """The history manager every audited model declares: `history = audited()`.

    A model whose history keeps more than its own fields passes a base
    derived from ActorFields, and its service sets `instance._history_extra`
    ({field: value}) before saving."""
    return HistoricalRecords(bases=list(bases), get_user=_login_user, **kwargs)


@receiver(pre_create_historical_record)
def _name_the_actor(sender, instance, history_instance, **kwargs) -> None:
    if not hasattr(history_instance, "history_actor"):
        return
    request = getattr(HistoricalRecords.context, "request", None)
    history_instance.history_actor = describe_actor(request)[:200]
    for name, value in getattr(instance, "_history_extra", {}).items():
        setattr(history_instance, name, value)
