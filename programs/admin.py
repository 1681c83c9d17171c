"""Programs and topics in the admin, and who may open the admin's pages of logins.

Organisers see and change the programs they organise (programs.admin_access);
a program an organiser adds is theirs. Topics are shared: organisers see them,
superusers change them. Logins and their groups are for superusers only:
organisers are made with `manage.py add_organiser`.
"""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group
from django.db.models import Q
from simple_history.admin import SimpleHistoryAdmin

from internship_portal.translated_forms import TranslatedFormMixin

from .admin_access import ProgramScopedAdmin, ServiceAdminForm, SuperuserOnlyAdmin, is_superuser
from .models import Program, Topic
from .services import PROGRAM_FIELDS, program_create, program_delete, program_update, topic_delete, topic_save


class TopicAdminForm(ServiceAdminForm):
    class Meta:
        model = Topic
        fields = ["name", "slug"]

    def write(self, instance):
        return topic_save(topic=instance, name=self.cleaned_data["name"], slug=self.cleaned_data["slug"])


@admin.register(Topic)
class TopicAdmin(ProgramScopedAdmin, admin.ModelAdmin):
    form = TopicAdminForm
    list_display = ["name", "slug"]
    search_fields = ["name"]
    prepopulated_fields = {"slug": ["name"]}

    def scope_filter(self, request):
        return Q()

    def in_view_scope(self, request, obj):
        return True

    def in_scope(self, request, obj):
        return False

    def has_add_permission(self, request):
        return is_superuser(request)

    def delete_with_service(self, request, obj):
        topic_delete(topic=obj)


class ProgramAdminForm(TranslatedFormMixin, ServiceAdminForm):
    class Meta:
        model = Program
        fields = [*PROGRAM_FIELDS, "topics", "organisers"]

    def write(self, instance):
        data = self.cleaned_data
        fields = {name: data[name] for name in PROGRAM_FIELDS if name in data}
        topics = [topic.name for topic in data["topics"]] if "topics" in self.fields else None
        organisers = list(data["organisers"]) if "organisers" in self.fields else None
        if instance is None:
            organisers = organisers or []
            if self.request is not None and not is_superuser(self.request):
                # The organiser who adds a program organises it.
                organisers.append(self.request.user)
            return program_create(topics=topics or (), organisers=organisers, **fields)
        return program_update(program=instance, topics=topics, organisers=organisers, **fields)


@admin.register(Program)
class ProgramAdmin(ProgramScopedAdmin, SimpleHistoryAdmin):
    program_path = ""
    # Organisers cannot list the logins; superusers decide who organises (or add_organiser does).
    superuser_fields = ("organisers",)
    form = ProgramAdminForm
    history_list_display = ["history_actor"]
    list_display = ["title", "slug", "city", "start_date", "end_date", "timezone", "status"]
    list_filter = ["status", "city", "topics"]
    search_fields = ["title", "slug", "host_institution", "city"]
    date_hierarchy = "start_date"
    filter_horizontal = ["topics", "organisers"]
    prepopulated_fields = {"slug": ["title"]}

    def has_delete_permission(self, request, obj=None):
        # Deleting a program takes its groups, participants, visits and surveys with it.
        return is_superuser(request)

    def delete_with_service(self, request, obj):
        program_delete(program=obj)


admin.site.unregister(get_user_model())
admin.site.unregister(Group)

# django-axes' records of logins (registered before this module: INSTALLED_APPS order).
for _model in (AccessAttempt, AccessFailureLog, AccessLog):
    _registered = type(admin.site._registry[_model])
    admin.site.unregister(_model)
    admin.site.register(_model, type(_registered.__name__, (SuperuserOnlyAdmin, _registered), {}))


@admin.register(get_user_model())
class SuperuserUserAdmin(SuperuserOnlyAdmin, UserAdmin):
    pass


@admin.register(Group)
class SuperuserGroupAdmin(SuperuserOnlyAdmin, GroupAdmin):
    pass
