"""The login page: a session ends when the browser closes, unless asked to stay.

Chibo is used on shared office PCs. Every session ends when the browser
closes (``SESSION_EXPIRE_AT_BROWSER_CLOSE``: a cookie without an expiry
date); a user who ticks "Duy trì đăng nhập" on their own device gets a
cookie that lasts ``SESSION_COOKIE_AGE``. Either way the session also ends
on the server after that many idle seconds (``IdleSessionMiddleware``
pushes the end back while the user works).
"""

from django import forms
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    remember = forms.BooleanField(
        label=_("Duy trì đăng nhập"),
        required=False,
        help_text=_("Chỉ chọn trên máy riêng của đồng chí, không chọn trên máy dùng chung."),
    )


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.cleaned_data.get("remember"):
            # A dated cookie, pushed back while the user works (idle timeout).
            self.request.session.set_expiry(settings.SESSION_COOKIE_AGE)
        else:
            self.request.session.set_expiry(0)  # ends when the browser closes
        return response
