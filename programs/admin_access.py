"""Who may do what in the Django admin: one place for every ModelAdmin.

A superuser sees and changes everything. An organiser (a member of the
`organisers` group, `programs.selectors.user_is_organiser`) sees and changes
only what belongs to the programs they organise (`Program.organisers`); an
object of another program is absent, as if it did not exist (its change,
delete and history pages redirect or answer 404). No blanket model
permission is needed or consulted: the decision is by organisership.

Admins declare `program_path`, the lookup from their model to its program
("program", "survey__program"; "" for the program itself). Admins of shared
data (hosts, topics) override `scope_filter`, `in_view_scope` and `in_scope`;
admins of tokens, webhooks and logins use `SuperuserOnlyAdmin`.
tests/admin/test_access.py walks every registered admin and fails for one
that does neither.

Writes go through the services: `ServiceAdminForm` calls its service once,
while the form is validated, so a broken rule comes back as a form error naming
the field; `save_model` then keeps what the service wrote. The admin's page
runs inside `service_writes()`, which undoes a write the admin did not go on
to save (an inline row was refused), so a form is never written half. Inline
rows go through services too (`inline_save_with_services`), and deletes
through each admin's `delete_with_service`. `ServiceWritesAdmin` gives an
admin of a ServiceAdminForm those pages; `ProgramScopedAdmin` includes it.
"""

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.http import Http404, HttpRequest
from django.shortcuts import redirect

from internship_portal.errors import Conflict
from internship_portal.translated_forms import without_translation_columns

from .selectors import programs_for_organiser, user_is_organiser


def organised_program_ids(request: HttpRequest) -> set[int]:
    """The programs the request's user organises (read once per request)."""
    known = getattr(request, "_organised_program_ids", None)
    if known is None:
        known = request._organised_program_ids = set(
            programs_for_organiser(user=request.user).prefetch_related(None).values_list("pk", flat=True)
        )
    return known


def is_superuser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_superuser


def is_organiser(request: HttpRequest) -> bool:
    return request.user.is_active and request.user.is_staff and user_is_organiser(user=request.user)


def program_id_of(obj: models.Model, path: str) -> int | None:
    """The id of the program `obj` belongs to, following `path` ("survey__program")."""
    if not path:
        return obj.pk
    *steps, last = path.split("__")
    for step in steps:
        obj = getattr(obj, step, None)
        if obj is None:
            return None
    return getattr(obj, f"{last}_id", None)


def scoped_queryset(request: HttpRequest, model: type[models.Model]) -> models.QuerySet | None:
    """The objects of `model` an organiser may pick in a form, or None to leave the field as it is."""
    registered = admin.site._registry.get(model)
    if isinstance(registered, ProgramScopedAdmin):
        return registered.get_queryset(request)
    return None


# The service forms validated (so written) on the admin page being answered.
_open_writes: ContextVar[list["ServiceAdminForm"] | None] = ContextVar("admin_service_writes", default=None)


@contextmanager
def service_writes() -> Iterator[None]:
    """The scope of one admin page's writes: a service form validated inside it writes for
    real, and what no `save()` kept (the page shows its errors again) is rolled back."""
    forms_written: list[ServiceAdminForm] = []
    token = _open_writes.set(forms_written)
    try:
        with transaction.atomic():
            yield
            if any(not form.kept for form in forms_written):
                transaction.set_rollback(True)
    finally:
        _open_writes.reset(token)


class ServiceAdminForm(forms.ModelForm):
    """A ModelForm whose write is a service call (`write`), made once, while validating.

    `write(instance)` receives a fresh copy of the object from the database
    (None when adding) and returns what the service wrote. Validated only inside
    `service_writes()` (the admin's pages, `ServiceWritesAdmin`): elsewhere
    nothing would undo a write that `save()` does not keep."""

    request: HttpRequest | None = None
    # The refusals of the services this form calls, shown as form errors.
    domain_errors: tuple[type[Exception], ...] = (ValidationError, Conflict)

    written: models.Model | None = None
    kept = False

    def write(self, instance: models.Model | None) -> models.Model:
        raise NotImplementedError

    def fresh_instance(self) -> models.Model | None:
        if self.instance.pk is None:
            return None
        return type(self.instance)._default_manager.get(pk=self.instance.pk)

    def _post_clean(self) -> None:
        # Not the ModelForm's own model validation: the service validates,
        # with messages of its own, by writing.
        if self.errors:
            return
        forms_written = _open_writes.get()
        if forms_written is None:
            raise TypeError(f"{type(self).__name__} is validated inside service_writes() (ServiceWritesAdmin)")
        try:
            # Its own savepoint: a refusal leaves nothing of this form behind.
            with transaction.atomic():
                self.written = self.write(self.fresh_instance())
        except self.domain_errors as error:
            self.apply_error(error)
        else:
            forms_written.append(self)

    def apply_error(self, error: Exception) -> None:
        """Turn a service's refusal into form messages (by field where it names one)."""
        if isinstance(error, Conflict):
            self.add_error(None, error.message)
        elif hasattr(error, "error_dict"):
            for name, field_messages in error.message_dict.items():
                for message in field_messages:
                    self.add_error(name if name in self.fields else None, message)
        else:
            for message in error.messages:
                self.add_error(None, message)

    def save(self, commit: bool = True) -> models.Model:
        """Keep what the service wrote while validating (the admin's `save_form` asks with
        commit=False: not yet)."""
        self.save_m2m = lambda: None
        if commit:
            if self.errors or self.written is None:
                raise ValueError(f"{type(self).__name__} was not written: it has errors")
            copy_into(self.instance, self.written)
            self.kept = True
        return self.instance


def copy_into(target: models.Model, source: models.Model) -> None:
    """Make the admin's object the one the service wrote (its pk, its stored values)."""
    for field in source._meta.concrete_fields:
        setattr(target, field.attname, getattr(source, field.attname))
    target._state.adding = False
    target._state.db = source._state.db


def inline_save_with_services(
    formset,
    *,
    fields: Iterable[str],
    create: Callable[..., models.Model],
    update: Callable[..., models.Model],
    delete: Callable[[models.Model], None],
) -> None:
    """Save an inline formset row by row through services: `create(**fields)`,
    `update(fresh_row, **fields)`, `delete(row)`. Records what changed, as the
    admin's change message expects."""
    formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
    rows = formset.get_queryset()
    for form in formset.initial_forms + formset.extra_forms:
        if not getattr(form, "cleaned_data", None):
            continue
        row = form.instance
        if formset.can_delete and formset._should_delete_form(form):
            if row.pk:
                delete(row)
                formset.deleted_objects.append(row)
            continue
        if not form.has_changed():
            continue
        data = {name: form.cleaned_data[name] for name in fields if name in form.cleaned_data}
        if row.pk:
            formset.changed_objects.append((update(rows.get(pk=row.pk), **data), form.changed_data))
        else:
            formset.new_objects.append(create(**data))


class ServiceWritesAdmin:
    """Mixin (before ModelAdmin) for an admin whose form is a ServiceAdminForm: its add, change
    and revert pages run inside `service_writes()`."""

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None):
        with service_writes():
            return super().changeform_view(request, object_id, form_url, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        with service_writes():
            return super().history_form_view(request, object_id, version_id, extra_context)


class ProgramScopedAdmin(ServiceWritesAdmin):
    """Mixin (before ModelAdmin) deciding every admin permission by program organisership."""

    program_path: str = "program"
    allow_add = True
    allow_change = True
    allow_delete = True
    # Fields only a superuser may set (e.g. links to logins, which organisers cannot list).
    superuser_fields: tuple[str, ...] = ()

    # --- who sees what ------------------------------------------------------

    def scope_filter(self, request: HttpRequest) -> models.Q:
        key = f"{self.program_path}__in" if self.program_path else "pk__in"
        return models.Q(**{key: organised_program_ids(request)})

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        if is_superuser(request):
            return queryset
        if not is_organiser(request):
            return queryset.none()
        return queryset.filter(self.scope_filter(request))

    def in_scope(self, request: HttpRequest, obj: models.Model) -> bool:
        """May this organiser change `obj`? (By default: it belongs to a program they organise.)"""
        return program_id_of(obj, self.program_path) in organised_program_ids(request)

    def in_view_scope(self, request: HttpRequest, obj: models.Model) -> bool:
        """May this organiser see `obj`? (Shared data such as hosts is seen by every organiser.)"""
        return self.in_scope(request, obj)

    def _allowed(self, request: HttpRequest, obj: models.Model | None, flag: bool, *, view: bool = False) -> bool:
        if not flag:
            return False
        if is_superuser(request):
            return True
        if not is_organiser(request):
            return False
        if obj is None:
            return True
        return self.in_view_scope(request, obj) if view else self.in_scope(request, obj)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request) or is_organiser(request)

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, obj, True, view=True)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request, None, self.allow_add)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, obj, self.allow_change)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._allowed(request, obj, self.allow_delete)

    # --- what a form offers -------------------------------------------------

    def formfield_for_foreignkey(self, db_field, request: HttpRequest, **kwargs: Any):
        if "queryset" not in kwargs and not is_superuser(request):
            queryset = scoped_queryset(request, db_field.related_model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request: HttpRequest, **kwargs: Any):
        if "queryset" not in kwargs and not is_superuser(request):
            queryset = scoped_queryset(request, db_field.related_model)
            if queryset is not None:
                kwargs["queryset"] = queryset
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def get_list_filter(self, request: HttpRequest):
        """A filter on a related object offers only the ones among the rows this user sees
        (the plain filter would list every program and group by name)."""
        filters = list(super().get_list_filter(request))
        if is_superuser(request):
            return filters
        scoped = []
        for entry in filters:
            if isinstance(entry, str) and "__" not in entry:
                field = self.model._meta.get_field(entry)
                if field.is_relation:
                    entry = (entry, admin.RelatedOnlyFieldListFilter)
            scoped.append(entry)
        return scoped

    def get_readonly_fields(self, request: HttpRequest, obj: models.Model | None = None):
        fields = list(super().get_readonly_fields(request, obj))
        if not is_superuser(request):
            fields += [name for name in self.superuser_fields if name not in fields]
        return fields

    def get_fields(self, request: HttpRequest, obj: models.Model | None = None):
        # A translated text is one field of three inputs (TranslatedFormMixin), not three rows.
        return without_translation_columns(self.model, super().get_fields(request, obj))

    def get_form(self, request: HttpRequest, obj: models.Model | None = None, **kwargs: Any):
        form = super().get_form(request, obj, **kwargs)
        # The form's service call needs to know who is writing (e.g. a program's first organiser).
        return type(form.__name__, (form,), {"request": request})

    # --- writes through the services ---------------------------------------

    def save_model(self, request: HttpRequest, obj: models.Model, form: forms.ModelForm, change: bool) -> None:
        if isinstance(form, ServiceAdminForm):
            form.save()
            return
        raise TypeError(f"{type(self).__name__} writes through a service: give it a ServiceAdminForm")

    def save_related(self, request: HttpRequest, form: forms.ModelForm, formsets, change: bool) -> None:
        # Many-to-many fields are written by the service (ServiceAdminForm.save); inlines by save_formset.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)

    def save_formset(self, request: HttpRequest, form, formset, change: bool) -> None:
        raise TypeError(f"{type(self).__name__} has an inline but no service to save it with")

    def delete_model(self, request: HttpRequest, obj: models.Model) -> None:
        self.delete_with_service(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet) -> None:
        with transaction.atomic():
            for obj in queryset:
                self.delete_with_service(request, obj)

    def delete_with_service(self, request: HttpRequest, obj: models.Model) -> None:
        raise TypeError(f"{type(self).__name__} has no service to delete with")

    def get_deleted_objects(self, objs, request: HttpRequest):
        # The delete service decides what goes with the object; what the
        # organiser may not delete on its own (answers, invitations) goes with it.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_view(self, request: HttpRequest, object_id: str, extra_context=None):
        if self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        try:
            return super().delete_view(request, object_id, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(request.path)

    def changeform_view(self, request: HttpRequest, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # A rule broken only while saving (a race with another writer): the
            # admin's transaction rolled back, nothing was saved.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(request.get_full_path())

    def changelist_view(self, request: HttpRequest, extra_context=None):
        try:
            return super().changelist_view(request, extra_context)
        except ValidationError as error:
            # An action (or "delete selected") refused by a service: nothing was changed.
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(request.get_full_path())

    # --- history pages (django-simple-history) ------------------------------

    def _history_object_in_scope(self, request: HttpRequest, object_id: str) -> bool:
        if is_superuser(request):
            return True
        object_id = unquote(object_id)
        if self.get_object(request, object_id) is not None:
            return True
        history = getattr(self.model, "history", None)
        if history is None:
            return False
        # A deleted object: its last version says which program it belonged to.
        try:
            last = history.filter(**{self.opts.pk.attname: object_id}).order_by("-history_date").first()
        except (ValueError, ValidationError):
            return False
        return last is not None and is_organiser(request) and self.in_view_scope(request, last.instance)

    def history_view(self, request: HttpRequest, object_id: str, extra_context=None):
        if not self._history_object_in_scope(request, object_id):
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request: HttpRequest, object_id: str, version_id: str, extra_context=None):
        if not self._history_object_in_scope(request, object_id):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ScopedInline:
    """Mixin for inlines: the parent object's permissions decide (see ProgramScopedAdmin)."""

    def _parent_admin(self):
        return self.admin_site._registry[self.parent_model]

    def has_view_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._parent_admin().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return self._parent_admin().has_change_permission(request, obj)


class SuperuserOnlyAdmin:
    """Mixin for admins of tokens, webhooks and logins: superusers only, whatever the model permissions."""

    def get_queryset(self, request: HttpRequest) -> models.QuerySet:
        queryset = super().get_queryset(request)
        return queryset if is_superuser(request) else queryset.none()

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_superuser(request)

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_superuser(request) and super().has_view_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return is_superuser(request) and super().has_add_permission(request, *args)

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_superuser(request) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return is_superuser(request) and super().has_delete_permission(request, obj)


__all__ = [
    "ProgramScopedAdmin",
    "ScopedInline",
    "ServiceAdminForm",
    "ServiceWritesAdmin",
    "SuperuserOnlyAdmin",
    "copy_into",
    "inline_save_with_services",
    "is_organiser",
    "is_superuser",
    "organised_program_ids",
    "service_writes",
]
