from django.contrib import admin

from sessions.figures import refresh_figures
from sessions.models import (
    AnnualPlan,
    Attendance,
    Award,
    ContestTeam,
    Document,
    GroupMeeting,
    Photo,
    Postponement,
    Reminder,
    Submission,
    ThematicSession,
)


class SessionInline(admin.TabularInline):
    model = ThematicSession
    fields = ["topic", "start", "end", "scope", "format", "status"]
    extra = 0
    show_change_link = True


@admin.register(AnnualPlan)
class AnnualPlanAdmin(admin.ModelAdmin):
    list_display = ["year", "title", "status", "approved_on"]
    list_filter = ["status"]
    inlines = [SessionInline]


class GroupMeetingInline(admin.TabularInline):
    model = GroupMeeting
    extra = 0
    autocomplete_fields = ["presiding"]


class DocumentInline(admin.TabularInline):
    model = Document
    extra = 0
    exclude = ["uploaded_by"]


class PhotoInline(admin.TabularInline):
    model = Photo
    extra = 0
    exclude = ["uploaded_by", "thumbnail"]


class ContestTeamInline(admin.TabularInline):
    model = ContestTeam
    extra = 0


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0
    autocomplete_fields = ["member"]


class PostponementInline(admin.TabularInline):
    model = Postponement
    extra = 0
    exclude = ["created_by"]


@admin.register(ThematicSession)
class ThematicSessionAdmin(admin.ModelAdmin):
    list_display = ["topic", "start", "scope", "format", "status", "grade"]
    list_filter = ["plan__year", "status", "scope", "format"]
    search_fields = ["topic", "description"]
    date_hierarchy = "start"
    autocomplete_fields = ["preparer", "presiding", "minute_taker"]
    inlines = [
        GroupMeetingInline,
        PostponementInline,
        DocumentInline,
        PhotoInline,
        ContestTeamInline,
        AwardInline,
    ]

    def save_related(self, request, form, formsets, change):
        """The meeting's kept figures follow a date, kind, status or guests changed here."""
        super().save_related(request, form, formsets, change)
        refresh_figures(session=form.instance)


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["session", "member", "group", "status", "reason", "temporary"]
    list_filter = ["status", "temporary", "session__plan__year"]
    search_fields = ["member__full_name", "session__topic"]
    autocomplete_fields = ["session", "member"]
    list_select_related = ["session", "member", "group"]

    # A row changed here changes the kept figures (sessions.figures): they are
    # written in the admin's transaction, for the row's meeting before and after.
    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = (
                Attendance.objects.across_cells()
                .filter(pk=obj.pk)
                .values_list("session_id", "member_id")
                .first()
            )
        super().save_model(request, obj, form, change)
        refresh_figures(session=obj.session, members=[obj.member_id])
        if before and before[0] != obj.session_id:
            refresh_figures(session=ThematicSession(pk=before[0]), members=[before[1]])
        elif before:
            refresh_figures(session=obj.session, members=[before[1]])

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        refresh_figures(session=obj.session, members=[obj.member_id])

    def delete_queryset(self, request, queryset):
        rows = list(queryset.values_list("session_id", "member_id"))
        super().delete_queryset(request, queryset)
        for session_id in {session_id for session_id, _member in rows}:
            members = [member for session, member in rows if session == session_id]
            refresh_figures(session=ThematicSession(pk=session_id), members=members)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The log of reminders sent: read it, or delete a row to send that reminder again."""

    list_display = ["sent_at", "kind", "session", "email"]
    list_filter = ["kind"]
    search_fields = ["email", "session__topic", "member__full_name"]
    list_select_related = ["session"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """What cells sent their committee: read only, as sent (the database refuses a change)."""

    list_display = ["reference", "kind", "year", "cell", "dated_on", "sent_at", "sent_by_name"]
    list_filter = ["kind", "year", "typed_by_hand"]
    list_select_related = ["cell"]
    exclude = ["body"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
