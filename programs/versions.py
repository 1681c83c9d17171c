"""One version per program: every cached page, JSON, `.ics` and board of a program is keyed on it.

`Program.version` is a counter that goes up, inside the writing transaction,
whenever anything a participant or organiser is shown of the program changes:
the program itself, its groups, participants, visits and their bookings, and
the hosts its visits go to. It is kept by construction, not by convention:

- the models shown inherit `VersionedModel`: `save()` and `delete()` bump the
  versions of the programs the row belongs to;
- their managers use `VersionedQuerySet`: a bulk `update()`, `delete()`,
  `bulk_create()` or `bulk_update()` bumps the versions of every program it
  touches, so a shell or a migration cannot leave a stale page behind.

Each model says how to reach its programs with `program_lookup` (a lookup
from the model to `Program.pk`, e.g. `"program_id"` or `"visits__program_id"`).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, ClassVar

from django.db import models, transaction
from django.utils import timezone


def program_version(program) -> str:
    """The program's version as a cache key part: also its creation moment, which tells it apart
    from a deleted program whose id was reused (SQLite), and the release (internship_portal.release)."""
    from django.conf import settings

    born = int(program.created_at.timestamp() * 1000)
    return f"{settings.RELEASE_ID}.{program.pk}.{born}.{program.version}"


def program_versions_bump(*, program_ids: Iterable[int | None]) -> None:
    """Raise the version of these programs (one UPDATE) and note when they changed."""
    from .models import Program

    ids = {pk for pk in program_ids if pk is not None}
    if ids:
        # The plain queryset: Program's own `update()` would bump once more.
        models.QuerySet(Program).filter(pk__in=ids).update(
            version=models.F("version") + 1, version_changed_at=timezone.now()
        )


# Models whose bulk writes the caller covers (versions_raised_by_caller).
_covered: ContextVar[frozenset] = ContextVar("versions_covered", default=frozenset())


@contextmanager
def versions_raised_by_caller(*covered: type[models.Model]) -> Iterator[None]:
    """Inside, bulk writes of these models skip their own bump (a query to find their programs
    and one to raise them): the caller writes rows of one program whose version it raises in
    the same transaction, e.g. the scheduling service writing a visit's bookings after saving
    the visit."""
    token = _covered.set(_covered.get() | frozenset(covered))
    try:
        yield
    finally:
        _covered.reset(token)


def _is_covered(model: type[models.Model]) -> bool:
    return model in _covered.get()


def _program_ids(queryset: models.QuerySet) -> set[int]:
    lookup = queryset.model.program_lookup
    return set(queryset.order_by().values_list(lookup, flat=True).distinct())


class VersionedQuerySet(models.QuerySet):
    """Bulk writes bump the version of every program whose rows they change."""

    def update(self, **kwargs: Any) -> int:
        if _is_covered(self.model):
            return super().update(**kwargs)
        with transaction.atomic(using=self.db):
            before = _program_ids(self)
            count = super().update(**kwargs)
            after = _program_ids(self) if self.model.program_lookup.split("__")[0] in kwargs else set()
            program_versions_bump(program_ids=before | after)
        return count

    def delete(self):
        if _is_covered(self.model):
            return super().delete()
        with transaction.atomic(using=self.db):
            ids = _program_ids(self)
            result = super().delete()
            program_versions_bump(program_ids=ids)
        return result

    def bulk_create(self, objs, *args: Any, **kwargs: Any):
        objs = list(objs)
        if _is_covered(self.model):
            return super().bulk_create(objs, *args, **kwargs)
        with transaction.atomic(using=self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            program_versions_bump(program_ids=self.model.program_ids_of(objs))
        return created

    def bulk_update(self, objs, fields, *args: Any, **kwargs: Any) -> int:
        objs = list(objs)
        if _is_covered(self.model):
            return super().bulk_update(objs, fields, *args, **kwargs)
        with transaction.atomic(using=self.db):
            count = super().bulk_update(objs, fields, *args, **kwargs)
            program_versions_bump(program_ids=self.model.program_ids_of(objs))
        return count

    update.queryset_only = True
    delete.queryset_only = True


VersionedManager = models.Manager.from_queryset(VersionedQuerySet)


class VersionedModel(models.Model):
    """A row shown on a program's pages: writing it bumps the program's version."""

    program_lookup: ClassVar[str] = "program_id"

    objects = VersionedManager()

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        using = kwargs.get("using") or "default"
        with transaction.atomic(using=using):
            before = self.program_ids() if self.program_lookup not in ("program_id", "pk") and self.pk else set()
            super().save(*args, **kwargs)
            program_versions_bump(program_ids=before | self.program_ids())

    def delete(self, *args: Any, **kwargs: Any):
        with transaction.atomic():
            ids = self.program_ids()
            result = super().delete(*args, **kwargs)
            program_versions_bump(program_ids=ids)
        return result

    def program_ids(self) -> set[int]:
        """The programs this row is shown in (a row of a direct `program` needs no query)."""
        if self.program_lookup == "program_id":
            return {self.program_id}
        if self.program_lookup == "pk":
            return {self.pk}
        if self.pk is None:
            return set()
        return _program_ids(type(self).objects.filter(pk=self.pk))

    @classmethod
    def program_ids_of(cls, objs: Iterable["VersionedModel"]) -> set[int]:
        objs = list(objs)
        if cls.program_lookup == "program_id":
            return {obj.program_id for obj in objs}
        if cls.program_lookup == "pk":
            return {obj.pk for obj in objs}
        return _program_ids(cls.objects.filter(pk__in=[obj.pk for obj in objs if obj.pk is not None]))
