from django.urls import path

from members import views

app_name = "members"
urlpatterns = [
    path("", views.member_list, name="list"),
    path("new/", views.member_create, name="create"),
    path("import/", views.member_import, name="import"),
    path("import/confirm/", views.member_import_confirm, name="import_confirm"),
    path("import/template.csv", views.member_import_template, name="import_template"),
    path("<id:pk>/edit/", views.member_edit, name="edit"),
    path("<id:pk>/move/", views.member_move, name="move"),
    path("<id:pk>/leave/", views.member_leave, name="leave"),
    path("<id:pk>/transfer/", views.member_transfer, name="transfer"),
    path("<id:pk>/send/", views.member_send, name="send"),
    path("<id:pk>/exemptions/new/", views.exemption_create, name="exemption_create"),
    path(
        "<id:pk>/exemptions/<id:exemption_pk>/edit/",
        views.exemption_edit,
        name="exemption_edit",
    ),
    path("<id:pk>/account/", views.member_account, name="account"),
    path("<id:pk>/account/link/", views.member_account_link, name="account_link"),
    path("<id:pk>/account/revoke/", views.member_account_revoke, name="account_revoke"),
    path("cell/", views.cell_profile, name="cell_profile"),
    path("groups/", views.group_list, name="groups"),
    path("groups/new/", views.group_create, name="group_create"),
    path("groups/<id:pk>/edit/", views.group_edit, name="group_edit"),
    path("groups/<id:pk>/up/", views.group_move, {"direction": "up"}, name="group_up"),
    path("groups/<id:pk>/down/", views.group_move, {"direction": "down"}, name="group_down"),
    path("groups/<id:pk>/archive/", views.group_archive, name="group_archive"),
    path("groups/<id:pk>/restore/", views.group_restore, name="group_restore"),
]
