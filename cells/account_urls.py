"""A user's own account (cells/views/account.py): open to every signed-in user."""

from django.urls import path

from cells.views import account

app_name = "account"

urlpatterns = [
    path("dang-nhap/ma-xac-thuc/", account.SecondStepView.as_view(), name="verify"),
    path("dang-nhap/ma-du-phong/", account.RecoveryCodeView.as_view(), name="recovery"),
    path("tai-khoan/xac-thuc-hai-buoc/", account.TwoFactorSetupView.as_view(), name="setup"),
    path("tai-khoan/mat-khau/", account.PasswordChangeView.as_view(), name="password"),
]
