from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView
from django.views.i18n import set_language

admin.site.site_header = _("Vanlang: records and change log")
admin.site.site_title = _("Vanlang administration")
admin.site.index_title = _("Records for inspection")

urlpatterns = [
    path("dang-nhap/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("ngon-ngu/", set_language, name="set_language"),
    path("", include("cells.account_urls")),
    # One sign-in page, with its lockout and second factor, for the admin site too.
    path("quan-tri/login/", RedirectView.as_view(pattern_name="login", query_string=True)),
    path("quan-tri/", admin.site.urls),
    path("", include("cells.urls")),
    path("", include("assessments.urls")),
    path("", include("plans.urls")),
]
