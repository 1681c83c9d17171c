"""The portal's URLconf with the benchmark's floor views mounted, as gunicorn has it under BENCH_FLOOR=1."""

from django.urls import include, path

from internship_portal.urls import urlpatterns as portal_urlpatterns

urlpatterns = [*portal_urlpatterns, path("bench-floor/", include("bench.urls"))]
