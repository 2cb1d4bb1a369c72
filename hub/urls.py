from django.contrib import admin
from django.urls import include, path

from groups import conversation_views
from profiles import views as profile_views

from . import views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("sign-in/", profile_views.sign_in, name="sign_in"),
    path("accounts/", include("allauth.urls")),
    path("", include("profiles.urls")),
    path("communities/", include("groups.urls")),
    path("notifications/", conversation_views.notifications, name="notifications"),
    path("practice/", include("practice.urls")),
    path("search/", include("search.urls")),
    path("admin/", admin.site.urls),
]
