"""A user's own account: the second sign-in step, setting up the authenticator, recovery codes,
and changing one's password. Open to every signed-in user, whatever their role or scope."""

import django_otp
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.generic import FormView, View

from cells.forms.account import AuthenticatorCodeForm, RecoveryCodeForm
from cells.models import SecurityEvent
from cells.security import two_factor
from cells.security.events import security_event_record
from cells.security.sessions import TWO_FACTOR

Kind = SecurityEvent.Kind


def _next_url(request, default="plans:home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse(default)


def _verified(request, device) -> None:
    django_otp.login(request, device)
    request.session[TWO_FACTOR] = two_factor.State.VERIFY


class SecondStepView(LoginRequiredMixin, FormView):
    """After the password: a code from the authenticator app (or, on its own page, a recovery code)."""

    template_name = "registration/two_factor_verify.html"
    form_class = AuthenticatorCodeForm
    recovery = False

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            if request.user.is_verified():
                return redirect(_next_url(request))
            if two_factor.authenticator_device(request.user) is None:
                return redirect(reverse("account:setup") + "?" + request.GET.urlencode())
        return super().dispatch(request, *args, **kwargs)

    def devices(self):
        device_class = two_factor.StaticDevice if self.recovery else two_factor.TOTPDevice
        return device_class.objects.filter(user=self.request.user, confirmed=True)

    def form_valid(self, form):
        code = form.cleaned_data["code"]
        for device in self.devices():
            allowed, _throttle = device.verify_is_allowed()
            if not allowed:
                form.add_error("code", self.throttled_message())
                return self.refused(form, "throttled")
            if device.verify_token(code):
                _verified(self.request, device)
                detail = "recovery code" if self.recovery else "authenticator code"
                security_event_record(kind=Kind.SECOND_FACTOR, request=self.request, detail=detail)
                if self.recovery:
                    left = two_factor.recovery_codes_left(self.request.user)
                    messages.warning(
                        self.request,
                        _("You used a recovery code; %(left)d are left. Set up your authenticator again "
                          "or make new codes under “Two-step sign-in”.") % {"left": left},
                    )  # fmt: skip
                return redirect(_next_url(self.request))
        form.add_error("code", self.wrong_message())
        return self.refused(form, "wrong recovery code" if self.recovery else "wrong authenticator code")

    def refused(self, form, detail):
        security_event_record(kind=Kind.SIGN_IN_FAILED, request=self.request, detail=detail)
        return self.form_invalid(form)

    def wrong_message(self):
        if self.recovery:
            return _("This recovery code is wrong or was already used. Type one of the unused codes you kept.")
        return _(
            "The code is wrong or has expired. Open your authenticator app and type the 6 digits it shows now "
            "for Vanlang; check that your phone's clock is right. Lost your phone? Use a recovery code."
        )

    def throttled_message(self):
        return _("Too many wrong codes in a row. Wait a minute, then type the code your app shows at that moment.")

    def get_context_data(self, **kwargs):
        return super().get_context_data(recovery=self.recovery, next=_next_url(self.request), **kwargs)


class RecoveryCodeView(SecondStepView):
    form_class = RecoveryCodeForm
    recovery = True


class TwoFactorSetupView(LoginRequiredMixin, View):
    """Set up the authenticator app (QR code and the otpauth address), then show recovery codes once.

    Once it is set up, the page shows its state and makes new recovery codes on request.
    """

    template_name = "registration/two_factor_setup.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.device = two_factor.authenticator_device(request.user)
        if self.device is not None and not request.user.is_verified():
            return redirect(reverse("account:verify") + "?" + request.GET.urlencode())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        if self.device is not None:
            return self.render_status()
        return self.render_setup(AuthenticatorCodeForm())

    def post(self, request):
        if self.device is not None:
            # Set up already: the only action is a new set of recovery codes.
            codes = two_factor.recovery_codes_issue(user=request.user)
            security_event_record(kind=Kind.SECOND_FACTOR, request=request, detail="new recovery codes")
            return self.render_codes(codes)
        form = AuthenticatorCodeForm(request.POST)
        pending = two_factor.authenticator_pending(user=request.user)
        if form.is_valid() and two_factor.authenticator_confirm(device=pending, token=form.cleaned_data["code"]):
            codes = two_factor.recovery_codes_issue(user=request.user)
            _verified(request, pending)
            security_event_record(kind=Kind.SECOND_FACTOR, request=request, detail="authenticator set up")
            return self.render_codes(codes)
        if form.is_valid():
            form.add_error(
                "code",
                _("That code does not match. Scan the QR code again (or type the key), then type the 6 digits "
                  "the app shows now; check that your phone's clock is right."),
            )  # fmt: skip
        return self.render_setup(form)

    def render_setup(self, form):
        device = two_factor.authenticator_pending(user=self.request.user)
        context = {
            "form": form,
            "otpauth_uri": device.config_url,
            "qr_svg": two_factor.qr_svg(device.config_url),
            "secret": two_factor.secret_groups(device),
            "required": two_factor.two_factor_required(self.request.user),
            "next": _next_url(self.request),
        }
        return render(self.request, self.template_name, context)

    def render_status(self):
        context = {"recovery_left": two_factor.recovery_codes_left(self.request.user), "next": _next_url(self.request)}
        return render(self.request, "registration/two_factor_status.html", context)

    def render_codes(self, codes):
        context = {"codes": codes, "next": _next_url(self.request)}
        return render(self.request, "registration/recovery_codes.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Change one's own password, with the project's password rules; the session stays open."""

    template_name = "registration/password_change.html"
    success_url = reverse_lazy("plans:home")

    def form_valid(self, form):
        response = super().form_valid(form)
        security_event_record(kind=Kind.PASSWORD_CHANGED, request=self.request)
        messages.success(self.request, _("Your password has been changed."))
        return response
