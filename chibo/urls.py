from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.views.decorators.http import require_POST
from django.views.i18n import set_language

from chibo import health, my_data, security, views
from chibo.login import LoginView
from members import urls as members_urls
from members.tokens import password_link_tokens
from sessions.reports import urls as reports_urls

urlpatterns = [
    path("", views.home, name="home"),
    # Work in another cell or committee (one where the user holds a role).
    path("workplace/", views.switch_workplace, name="switch_workplace"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    # The one-time link a member gets to set their own password (the secretary
    # gives it with a new login); Django's password-reset tokens underneath.
    path(
        "accounts/set-password/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(token_generator=password_link_tokens),
        name="password_reset_confirm",
    ),
    path(
        "accounts/set-password/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    # The language switch is on the login page too; it changes a cookie, so POST only.
    path("i18n/setlang/", login_not_required(require_POST(set_language)), name="set_language"),
    # The member page shows the member's attendance, which the reports count:
    # it joins the members' namespace here, so that members/ imports no sessions.
    path(
        "members/",
        include(([*members_urls.urlpatterns, *reports_urls.member_patterns], "members")),
    ),
    path("sessions/", include("sessions.urls")),
    path("history/", include("chibo.history_urls")),
    # A member's own data, as one file (docs/security.md).
    path("my-data/", my_data.download, name="my_data"),
    path("admin/", admin.site.urls),
    # Uploaded documents and photos, only for the cell's users (docs/security.md).
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", security.media, name="media"),
    path("healthz", health.healthz, name="healthz"),
]

handler500 = "chibo.health.server_error"

admin.site.site_header = "Chibo"
admin.site.site_title = "Chibo"
