"""What a user name (tên đăng nhập) may hold.

Django accepts any Unicode letter in a user name, so ``lеader`` with a
Cyrillic ``е`` is another account than ``leader`` yet looks the same on a
page, in a mail and in the history. Chibo's user names hold only ASCII
letters, digits and ``. _ -``: nothing that looks like something else, and
what ``suggest_username`` makes ("huongnt", "huongnt2") fits.
"""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

LOGIN_NAME_MESSAGE = _(
    "Tên đăng nhập chỉ gồm chữ cái không dấu (a–z), chữ số và các ký tự . _ -: "
    "không có dấu cách, chữ có dấu hay chữ của bảng chữ cái khác."
)

login_name_validator = RegexValidator(
    r"\A[A-Za-z0-9._-]+\Z", message=LOGIN_NAME_MESSAGE, code="invalid_login_name"
)
