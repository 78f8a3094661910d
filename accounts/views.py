"""Sign-in (with lockout by django-axes and an optional second step by django-otp) and account security."""

from __future__ import annotations

import base64
import io
from typing import Any

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import user_has_device
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import services
from accounts.forms import CodeForm, SignInForm
from core.permissions import permission_required, public


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


@method_decorator(public, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self) -> str:
        # Staff land on the back office; residents on their account page until the portal exists.
        from django.urls import reverse

        user = self.request.user
        return reverse("people:dashboard" if getattr(user, "is_staff_role", False) else "accounts:security")

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)
        if user_has_device(form.get_user()):
            # Password accepted; the session is not verified until the code is entered.
            from django.urls import reverse

            return redirect(f"{reverse('accounts:verify')}?next={self.get_success_url()}")
        return response


SignInView.dispatch.involve_action = "public"  # type: ignore[attr-defined]


@method_decorator(public, name="dispatch")
class SignOutView(auth_views.LogoutView):
    pass


SignOutView.dispatch.involve_action = "public"  # type: ignore[attr-defined]


@permission_required("account.security", unverified_ok=True)
def verify(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["code"].strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_token(code):
                otp_login(request, device)
                return redirect(_safe_next(request, "/"))
        form.add_error("code", "The code is wrong or has expired. Enter the code your app shows now")
    return render(request, "accounts/verify.html", {"form": form, "next": _safe_next(request, "")})


@permission_required("account.security")
def security(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/security.html",
        {"has_two_factor": user_has_device(request.user), "active_section": "account"},
    )


def _qr_data_uri(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@permission_required("account.security")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid() and services.two_factor_device_confirm(user=request.user, code=form.cleaned_data["code"]):
            device = TOTPDevice.objects.get(user=request.user, confirmed=True)
            otp_login(request, device)
            messages.success(request, "Two-factor sign-in is on. You will need a code each time you sign in.")
            return redirect("accounts:security")
        if form.is_valid():
            form.add_error("code", "The code is wrong or has expired. Enter the code your app shows now")
        device = TOTPDevice.objects.filter(user=request.user, confirmed=False).first()
    else:
        device = None
    if device is None:
        device = services.two_factor_device_start(user=request.user)
    secret = base64.b32encode(device.bin_key).decode()
    context: dict[str, Any] = {
        "form": form,
        "qr": _qr_data_uri(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "active_section": "account",
    }
    return render(request, "accounts/two_factor_setup.html", context)


@require_POST
@permission_required("account.security")
def two_factor_remove(request: HttpRequest) -> HttpResponse:
    services.two_factor_device_remove(user=request.user)
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("accounts:security")
