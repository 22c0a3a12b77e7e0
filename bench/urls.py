"""The benchmark's URLconf: Chibo's own URLs plus the floor.

The floor is a page that renders only the logged-in base layout: the same
middleware, session, user and permission lookups and base template as every
page, and nothing else. It is served only in the benchmark's own process
(ROOT_URLCONF is switched there), so it never exists in Chibo itself; a page of
Chibo (say, "password changed") could change with the other branches, this
one cannot.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from chibo.urls import handler500
from chibo.urls import urlpatterns as chibo_urlpatterns

FLOOR = engines["django"].from_string('{% extends "base.html" %}')


def floor(request):
    return HttpResponse(FLOOR.render({}, request))


urlpatterns = [path("bench/floor/", floor, name="bench-floor"), *chibo_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
