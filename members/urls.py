from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("import/", views.member_import, name="import"),
    path("import/confirm/", views.member_import_confirm, name="import_confirm"),
    path("import/template.csv", views.member_import_template, name="import_template"),
    path("<int:pk>/", views.member_detail, name="detail"),
    path("<int:pk>/edit/", views.member_edit, name="edit"),
    path("<int:pk>/move/", views.member_move, name="move"),
    path("<int:pk>/leave/", views.member_leave, name="leave"),
    path("<int:pk>/exemptions/new/", views.exemption_create, name="exemption_create"),
    path(
        "<int:pk>/exemptions/<int:exemption_pk>/edit/",
        views.exemption_edit,
        name="exemption_edit",
    ),
    path("<int:pk>/account/", views.member_account, name="account"),
    path("<int:pk>/account/link/", views.member_account_link, name="account_link"),
    path("<int:pk>/account/revoke/", views.member_account_revoke, name="account_revoke"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<int:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<int:pk>/up/", views.group_move, {"direction": "up"}, name="group_up"),
    path("groups/<int:pk>/down/", views.group_move, {"direction": "down"}, name="group_down"),
    path("groups/<int:pk>/archive/", views.group_archive, name="group_archive"),
    path("groups/<int:pk>/restore/", views.group_restore, name="group_restore"),
]
