from django.urls import path

from sessions import checkin_views, member_views, views
from sessions.reports import urls as reports

app_name = "sessions"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<id:year>/", views.plan_detail, name="plan"),
    path("plans/<id:year>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<id:year>/copy/", views.plan_copy, name="plan_copy"),
    path("plans/<id:year>/send/", views.plan_send, name="plan_send"),
    path("plans/<id:year>/plan.docx", views.plan_file, {"fmt": "docx"}, name="plan_docx"),
    path("plans/<id:year>/plan.pdf", views.plan_file, {"fmt": "pdf"}, name="plan_pdf"),
    # What the cell sent its superior committee, as it was sent.
    path("sent/<id:pk>/", views.sent_detail, name="sent"),
    path("sent/<id:pk>.docx", views.sent_file, {"fmt": "docx"}, name="sent_docx"),
    path("sent/<id:pk>.pdf", views.sent_file, {"fmt": "pdf"}, name="sent_pdf"),
    path("plans/<id:year>/sessions/new/", views.session_create, name="create"),
    path("<id:pk>/", views.session_detail, name="detail"),
    path("<id:pk>/edit/", views.session_edit, name="edit"),
    path("<id:pk>/postpone/", views.session_postpone, name="postpone"),
    path("<id:pk>/cancel/", views.session_cancel, name="cancel"),
    path("<id:pk>/delete/", views.session_delete, name="delete"),
    path("<id:pk>/documents/", views.session_documents, name="documents"),
    path(
        "<id:pk>/documents/<id:document_pk>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("<id:pk>/draft-sent/", views.session_draft_sent, name="draft_sent"),
    path("<id:pk>/attendance/", views.session_attendance, name="attendance"),
    path("<id:pk>/check-in/", checkin_views.check_in_page, name="check_in"),
    path("<id:pk>/check-in/qr.svg", checkin_views.check_in_qr, name="check_in_qr"),
    path("<id:pk>/check-in/code/", checkin_views.check_in_code, name="check_in_code"),
    path("<id:pk>/check-ins/", checkin_views.check_ins_json, name="check_ins"),
    path("check-in/<str:code>/", checkin_views.check_in_scan, name="check_in_scan"),
    path("<id:pk>/read/", checkin_views.confirm_read, name="confirm_read"),
    path("<id:pk>/read/remind/", checkin_views.remind_unread, name="remind_unread"),
    path("<id:pk>/grading/", views.session_grading, name="grading"),
    path("<id:pk>/photos/", views.session_photos, name="photos"),
    path("<id:pk>/photos/<id:photo_pk>/caption/", views.photo_caption, name="photo_caption"),
    path("<id:pk>/photos/<id:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("<id:pk>/contest/", views.session_contest, name="contest"),
    path("<id:pk>/minutes/", views.session_minutes, name="minutes"),
    path("<id:pk>/minutes.docx", views.minutes_file, {"fmt": "docx"}, name="minutes_docx"),
    path("<id:pk>/minutes.pdf", views.minutes_file, {"fmt": "pdf"}, name="minutes_pdf"),
    path("<id:pk>/minutes/edit/", views.minutes_edit, name="minutes_edit"),
    path("<id:pk>/signing-sheet/", views.signing_sheet, name="signing_sheet"),
    path(
        "<id:pk>/signing-sheet.docx",
        views.signing_sheet_file,
        {"fmt": "docx"},
        name="signing_sheet_docx",
    ),
    path(
        "<id:pk>/signing-sheet.pdf",
        views.signing_sheet_file,
        {"fmt": "pdf"},
        name="signing_sheet_pdf",
    ),
    # A member's calendar.
    path("calendar/", member_views.calendar_page, name="calendar"),
    path("calendar/renew/", member_views.calendar_renew, name="calendar_renew"),
    path("calendar/feed/<str:token>.ics", member_views.calendar_feed, name="calendar_feed"),
    path("<id:pk>/ics/", member_views.session_ics, name="session_ics"),
    # The members' and leaders' reading: own record, summaries, exports, report.
    *reports.urlpatterns,
]
