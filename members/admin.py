from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.contrib.auth.models import User

from chibo.lib.logins import login_name_validator
from members.models import Exemption, Member, Organisation, PartyGroup, Role


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """A superuser builds the tree: committees, and the cells under them."""

    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "superior_name"]
    list_select_related = ["parent"]


@admin.register(Role)
class RoleAdmin(admin.ModelAdmin):
    """Who holds which role where; Role.clean keeps each kind in its kind of organisation."""

    list_display = ["user", "organisation", "kind"]
    list_filter = ["kind", "organisation__kind", "organisation"]
    search_fields = ["user__username", "user__first_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]


class SafeLoginName:
    """User names in the admin hold only the characters Chibo allows (chibo.lib.logins)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "username" in self.fields:
            self.fields["username"].validators.append(login_name_validator)


class ChiboUserCreationForm(SafeLoginName, AdminUserCreationForm):
    pass


class ChiboUserChangeForm(SafeLoginName, UserChangeForm):
    pass


class ChiboUserAdmin(UserAdmin):
    add_form = ChiboUserCreationForm
    form = ChiboUserChangeForm


admin.site.unregister(User)
admin.site.register(User, ChiboUserAdmin)


@admin.register(PartyGroup)
class PartyGroupAdmin(admin.ModelAdmin):
    list_display = ["name", "order", "leader", "is_active"]
    list_editable = ["order"]
    list_filter = ["is_active"]
    search_fields = ["name"]
    autocomplete_fields = ["leader"]


class ExemptionInline(admin.TabularInline):
    model = Exemption
    extra = 0


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ["full_name", "group", "standing", "position", "joined_cell_on", "left_cell_on"]
    list_filter = ["group", "standing", "position", "temporary", "left_reason"]
    search_fields = ["full_name", "phone", "email"]
    autocomplete_fields = ["user"]
    list_select_related = ["group"]
    inlines = [ExemptionInline]


@admin.register(Exemption)
class ExemptionAdmin(admin.ModelAdmin):
    list_display = ["member", "kind", "starts_on", "ends_on", "reason"]
    list_filter = ["kind"]
    search_fields = ["member__full_name", "reason"]
    autocomplete_fields = ["member"]
