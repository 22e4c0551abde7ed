from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "AI Policy Tracker: editors"
admin.site.site_title = "AI Policy Tracker"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("tracker.web.urls")),
]
