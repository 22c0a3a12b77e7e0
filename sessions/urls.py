from django.urls import path

from sessions import views

app_name = "sessions"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("plans/<int:year>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:year>/copy/", views.plan_copy, name="plan_copy"),
    path("plans/<int:year>/sessions/new/", views.session_create, name="create"),
    path("<int:pk>/", views.session_detail, name="detail"),
    path("<int:pk>/edit/", views.session_edit, name="edit"),
    path("<int:pk>/postpone/", views.session_postpone, name="postpone"),
    path("<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("<int:pk>/delete/", views.session_delete, name="delete"),
    path("<int:pk>/documents/", views.session_documents, name="documents"),
    path(
        "<int:pk>/documents/<int:document_pk>/delete/",
        views.document_delete,
        name="document_delete",
    ),
    path("<int:pk>/draft-sent/", views.session_draft_sent, name="draft_sent"),
    path("<int:pk>/attendance/", views.session_attendance, name="attendance"),
    path("<int:pk>/photos/", views.session_photos, name="photos"),
    path("<int:pk>/photos/<int:photo_pk>/caption/", views.photo_caption, name="photo_caption"),
    path("<int:pk>/photos/<int:photo_pk>/delete/", views.photo_delete, name="photo_delete"),
    path("<int:pk>/contest/", views.session_contest, name="contest"),
    path("<int:pk>/minutes/", views.session_minutes, name="minutes"),
]

# --- Members' and leaders' pages: own record, calendar, summaries, exports, report.
# They live in sessions/report_urls.py and are appended here, in this namespace.
from sessions.report_urls import urlpatterns as report_urlpatterns  # noqa: E402

urlpatterns += report_urlpatterns
