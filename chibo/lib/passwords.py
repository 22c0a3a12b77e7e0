"""Django's password rules, with help that addresses members as "đồng chí".

Django's own Vietnamese catalog says "Mật khẩu của bạn…"; every page of Chibo
says "đồng chí" (issue 12, item 9). The rules themselves are Django's.
"""

from django.contrib.auth import password_validation as django_rules
from django.utils.translation import gettext as _
from django.utils.translation import ngettext


class MinimumLengthValidator(django_rules.MinimumLengthValidator):
    def get_help_text(self):
        return ngettext(
            "Mật khẩu của đồng chí phải có ít nhất %(min_length)d ký tự.",
            "Mật khẩu của đồng chí phải có ít nhất %(min_length)d ký tự.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(django_rules.UserAttributeSimilarityValidator):
    def get_help_text(self):
        return _("Mật khẩu của đồng chí không được quá giống tên đăng nhập, họ tên hay email.")


class CommonPasswordValidator(django_rules.CommonPasswordValidator):
    def get_help_text(self):
        return _("Mật khẩu của đồng chí không được là một mật khẩu hay dùng.")


class NumericPasswordValidator(django_rules.NumericPasswordValidator):
    def get_help_text(self):
        return _("Mật khẩu của đồng chí không được chỉ gồm chữ số.")
