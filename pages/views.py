"""Public pages: anyone may see them, no sign-in."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.models import Organisation
from core.permissions import public
from pages.forms import ExpressionOfInterestForm, new_form_token
from people import services


def _landlords() -> list[Organisation]:
    return list(Organisation.objects.filter(accepts_expressions_of_interest=True, kind=Organisation.Kind.LANDLORD))


@public
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/home.html", {"landlords": _landlords(), "active_section": "home"})


@public
def get_involved(request: HttpRequest) -> HttpResponse:
    landlords = _landlords()
    if len(landlords) == 1:
        return redirect("public:get-involved-form", slug=landlords[0].slug)
    return render(request, "pages/choose_landlord.html", {"landlords": landlords, "active_section": "get-involved"})


@public
def get_involved_form(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug, accepts_expressions_of_interest=True)
    form = ExpressionOfInterestForm(request.POST or None, initial={"form_token": new_form_token()})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            resident = services.expression_of_interest_submit(
                organisation=organisation,
                submission_key=data["submission_key"],
                values=data,
                interests=data["interests"],
                format_needs=data["format_needs"],
            )
            request.session["eoi_thanks"] = {"name": resident.first_name, "organisation": organisation.name}
            return redirect("public:get-involved-done", slug=organisation.slug)
        # A fresh token for the next attempt keeps the timing check meaningful.
        form.data = form.data.copy()
        form.data["form_token"] = form.data.get("form_token") or new_form_token()
    return render(
        request,
        "pages/get_involved.html",
        {"form": form, "organisation": organisation, "active_section": "get-involved"},
    )


@public
def get_involved_done(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    thanks = request.session.get("eoi_thanks", {})
    return render(
        request,
        "pages/get_involved_done.html",
        {"organisation": organisation, "name": thanks.get("name", ""), "active_section": "get-involved"},
    )


@public
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/accessibility.html")


@public
def privacy(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/privacy.html")
