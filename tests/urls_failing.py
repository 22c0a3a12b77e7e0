"""The project's URLs plus one view that fails, for the server-error tests."""

from django.urls import path

from chibo.urls import urlpatterns as project_urlpatterns


class DatabaseOnFire(Exception):
    pass


def failing_view(request):
    raise DatabaseOnFire("bí mật trong thông báo lỗi: đường dẫn /srv/chibo/db.sqlite3")


urlpatterns = [*project_urlpatterns, path("boom/", failing_view, name="boom")]
