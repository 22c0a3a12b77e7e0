from django.urls import path

from sessions import views

app_name = "sessions"
urlpatterns = [
    path("plans/", views.plan_list, name="plans"),
    path("plans/<int:year>/", views.plan_detail, name="plan"),
    path("<int:pk>/", views.session_detail, name="detail"),
]
