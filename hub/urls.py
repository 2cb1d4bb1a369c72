from django.contrib import admin
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("", include("profiles.urls")),
    path("communities/", include("groups.urls")),
    path("practice/", include("practice.urls")),
    path("search/", include("search.urls")),
    path("admin/", admin.site.urls),
]
