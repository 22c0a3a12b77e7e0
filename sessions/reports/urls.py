"""URLs of the members' and leaders' pages: own record, summaries, exports, report.

``urlpatterns`` join the ``sessions`` namespace (``sessions:summary``…);
``member_patterns`` join the ``members`` namespace in the root URLconf, so
that the member page (which shows attendance) is ``members:detail`` while
``members/`` knows nothing of sessions.
"""

from django.urls import path

from sessions.reports import views

urlpatterns = [
    path("my-record/", views.my_record, name="my_record"),
    path("records/<id:member_pk>/<id:year>/", views.member_record_view, name="member_record"),
    path("summary/", views.summary_current, name="summary_current"),
    path("summary/<id:year>/", views.summary, name="summary"),
    path("summary/<id:year>/attendance.csv", views.export_csv, name="export_csv"),
    path("summary/<id:year>/attendance.xlsx", views.export_xlsx, name="export_xlsx"),
    path("report/<id:year>/", views.report, name="annual_report"),
    path("report/<id:year>/send/", views.report_send, name="report_send"),
    path("report/<id:year>/report.docx", views.report_file, {"fmt": "docx"}, name="report_docx"),
    path("report/<id:year>/report.pdf", views.report_file, {"fmt": "pdf"}, name="report_pdf"),
    path("report/<id:year>/edit/", views.report_text, name="report_text"),
    # A committee's cells side by side (the officer at a committee node).
    path("committee/", views.committee_current, name="committee_current"),
    path("committee/<id:year>/", views.committee, name="committee"),
    path("committee/<id:year>/cells.xlsx", views.committee_xlsx, name="committee_xlsx"),
]

member_patterns = [
    path("<id:pk>/", views.member_detail, name="detail"),
]
