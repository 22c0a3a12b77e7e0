from django.urls import path

from chibo import history_views

app_name = "history"
urlpatterns = [
    path("", history_views.cell_history, name="cell"),
    path("members/<id:pk>/", history_views.member_history_page, name="member"),
    path("sessions/<id:pk>/", history_views.session_history_page, name="session"),
]
