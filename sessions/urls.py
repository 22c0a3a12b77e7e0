from django.urls import path

from sessions import views

app_name = "sessions"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("<int:pk>/", views.session_detail, name="detail"),
]

# --- Members' and leaders' pages: own record, calendar, summaries, exports, report.
# They live in sessions/report_urls.py and are appended here, in this namespace.
from sessions.report_urls import urlpatterns as report_urlpatterns  # noqa: E402

urlpatterns += report_urlpatterns
