"""URLs of the members' and leaders' pages, in the ``sessions`` namespace.

They are appended to ``sessions/urls.py`` so that their names read
``sessions:summary``, ``sessions:calendar``…
"""

from django.urls import path

from sessions import member_views, report_views

urlpatterns = [
    # A member's own record and calendar.
    path("my-record/", member_views.my_record, name="my_record"),
    path(
        "records/<id:member_pk>/<id:year>/",
        member_views.member_record_view,
        name="member_record",
    ),
    path("calendar/", member_views.calendar_page, name="calendar"),
    path("calendar/renew/", member_views.calendar_renew, name="calendar_renew"),
    path("calendar/feed/<str:token>.ics", member_views.calendar_feed, name="calendar_feed"),
    path("<id:pk>/ics/", member_views.session_ics, name="session_ics"),
    # The leaders' summaries, exports and annual report.
    path("summary/", report_views.summary_current, name="summary_current"),
    path("summary/<id:year>/", report_views.summary, name="summary"),
    path("summary/<id:year>/attendance.csv", report_views.export_csv, name="export_csv"),
    path("summary/<id:year>/attendance.xlsx", report_views.export_xlsx, name="export_xlsx"),
    path("report/<id:year>/", report_views.report, name="annual_report"),
]
