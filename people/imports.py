"""Residents and homes from the housing system's export, through core.imports."""

from __future__ import annotations

import datetime
import re
from typing import Any

from auditlog.models import LogEntry
from django import forms
from django.contrib.contenttypes.models import ContentType

from core.imports import Column, CommitCounts, Importer, register
from core.imports.pipeline import bulk_insert
from people.models import Area, Home, Resident, Tenancy, Tenure, normalise_postcode

# Full UK postcode pattern (including GIR 0AA), tested against the Royal Mail formats.
POSTCODE_RE = re.compile(r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]? ?\d[ABD-HJLNP-UW-Z]{2})$")

TENURE_WORDS = {
    **{t.value: t.value for t in Tenure},
    **{t.label.lower(): t.value for t in Tenure},
    "secure": Tenure.SECURE_OR_ASSURED,
    "assured": Tenure.SECURE_OR_ASSURED,
    "secure tenant": Tenure.SECURE_OR_ASSURED,
    "assured tenant": Tenure.SECURE_OR_ASSURED,
    "general needs": Tenure.SECURE_OR_ASSURED,
    "introductory": Tenure.INTRODUCTORY,
    "starter": Tenure.INTRODUCTORY,
    "starter tenant": Tenure.INTRODUCTORY,
    "leasehold": Tenure.LEASEHOLDER,
    "shared ownership": Tenure.SHARED_OWNER,
    "private rented": Tenure.PRIVATE_TENANT,
    "owner occupier": Tenure.OWNER_OCCUPIER,
    "freeholder": Tenure.OWNER_OCCUPIER,
    "advocate": Tenure.ADVOCATE,
}
YES = {"y", "yes", "true", "1", "lead"}
NO = {"", "n", "no", "false", "0"}


class FlexibleDateField(forms.DateField):
    input_formats = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%d %b %Y", "%d %B %Y"]


class ResidentRowForm(forms.Form):
    person_ref = forms.CharField(max_length=40)
    tenancy_ref = forms.CharField(max_length=40)
    property_ref = forms.CharField(max_length=40)
    title = forms.CharField(max_length=20, required=False)
    first_name = forms.CharField(max_length=100)
    last_name = forms.CharField(max_length=100)
    email = forms.EmailField(required=False, max_length=254)
    phone = forms.CharField(max_length=30, required=False)
    mobile = forms.CharField(max_length=30, required=False)
    address_line_1 = forms.CharField(max_length=200)
    address_line_2 = forms.CharField(max_length=200, required=False)
    town = forms.CharField(max_length=100, required=False)
    postcode = forms.CharField(max_length=10)
    uprn = forms.IntegerField(required=False, min_value=1, max_value=999_999_999_999)
    area = forms.CharField(max_length=120, required=False)
    estate = forms.CharField(max_length=120, required=False)
    tenure = forms.CharField(max_length=60)
    tenancy_start_date = FlexibleDateField(required=False)
    lead_tenant = forms.CharField(required=False)

    def clean_postcode(self) -> str:
        value = " ".join(self.cleaned_data["postcode"].upper().split())
        compact = value.replace(" ", "")
        if not POSTCODE_RE.match(compact) and not POSTCODE_RE.match(value):
            raise forms.ValidationError(f"“{value}” is not a UK postcode.")
        return f"{compact[:-3]} {compact[-3:]}"

    def clean_tenure(self) -> str:
        raw = self.cleaned_data["tenure"]
        tenure = TENURE_WORDS.get(" ".join(raw.lower().replace("-", " ").split()))
        if tenure is None:
            raise forms.ValidationError(
                f"“{raw}” is not a tenure Involve knows. Use one of: {', '.join(Tenure.labels)}."
            )
        return str(tenure)

    def clean_lead_tenant(self) -> bool:
        raw = self.cleaned_data["lead_tenant"].strip().lower()
        if raw in YES:
            return True
        if raw in NO:
            return False
        raise forms.ValidationError(f"“{raw}” should be Yes or No.")

    def clean_tenancy_start_date(self) -> datetime.date | None:
        value = self.cleaned_data["tenancy_start_date"]
        if value and value > datetime.date.today():
            raise forms.ValidationError("The tenancy start date is in the future.")
        return value


# Fields compared to decide whether a record changed; the rest is identity.
HOME_FIELDS = ("address_line_1", "address_line_2", "town", "postcode", "uprn", "estate_id", "area_id")
TENANCY_FIELDS = ("home_id", "tenure", "start_date")
RESIDENT_FIELDS = (
    "title",
    "first_name",
    "last_name",
    "email",
    "phone",
    "mobile",
    "tenancy_id",
    "is_lead_tenant",
    "home_id",
    "area_id",
    "tenure",
    "postcode_key",
    "status",
)


@register
class ResidentImporter(Importer):
    kind = "residents"
    label = "Residents and homes"
    row_form = ResidentRowForm
    key_field = "person_ref"
    columns = (
        Column("person_ref", "Person reference", True, ("person id", "person ref", "contact ref", "customer ref")),
        Column("tenancy_ref", "Tenancy reference", True, ("tenancy id", "tenancy ref", "tenancy number")),
        Column("property_ref", "Property reference", True, ("property id", "prop ref", "property ref", "uprn ref")),
        Column("title", "Title"),
        Column("first_name", "First name", True, ("forename", "given name", "first names")),
        Column("last_name", "Last name", True, ("surname", "family name")),
        Column("email", "Email", False, ("email address",)),
        Column("phone", "Phone", False, ("telephone", "home phone", "landline")),
        Column("mobile", "Mobile", False, ("mobile phone", "mobile number")),
        Column("address_line_1", "Address line 1", True, ("address 1", "address1", "street")),
        Column("address_line_2", "Address line 2", False, ("address 2", "address2")),
        Column("town", "Town", False, ("city", "town or city")),
        Column("postcode", "Postcode", True, ("post code",)),
        Column("uprn", "UPRN", False, ("unique property reference number",)),
        Column("area", "Area", False, ("housing area", "patch")),
        Column("estate", "Estate", False, ("block", "scheme")),
        Column("tenure", "Tenure", True, ("tenancy type",)),
        Column("tenancy_start_date", "Tenancy start date", False, ("start date", "tenancy start")),
        Column("lead_tenant", "Lead tenant", False, ("main tenant", "lead")),
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._areas: dict[tuple[str, int | None], Area] | None = None

    # Areas and estates named in the file are created on first use (the export is authoritative).
    def _area(self, name: str, level: str, parent: Area | None, *, dry_run: bool) -> Area | None:
        if not name:
            return None
        if self._areas is None:
            self._areas = {
                (a.level + ":" + a.name.lower(), a.parent_id): a
                for a in Area.objects.filter(organisation=self.organisation)
            }
        key = (level + ":" + name.lower(), parent.pk if parent else None)
        if key not in self._areas:
            area = Area(organisation=self.organisation, name=name, level=level, parent=parent)
            if not dry_run:
                area.save()
            self._areas[key] = area
        return self._areas[key]

    def commit_chunk(self, rows: list[dict[str, Any]], *, dry_run: bool) -> CommitCounts:
        org = self.organisation
        counts = CommitCounts()
        homes = {
            h.reference: h
            for h in Home.objects.filter(organisation=org, reference__in={r["property_ref"] for r in rows})
        }
        tenancies = {
            t.reference: t
            for t in Tenancy.objects.filter(organisation=org, reference__in={r["tenancy_ref"] for r in rows})
        }
        # person_ref is nullable on the model (web sign-ups have none) but always set on rows found here.
        residents: dict[str, Resident] = {
            str(p.person_ref): p
            for p in Resident.objects.filter(organisation=org, person_ref__in={r["person_ref"] for r in rows})
        }

        new_homes, changed_homes = self._upsert(
            Home,
            homes,
            HOME_FIELDS,
            (
                (
                    r["property_ref"],
                    self._home_values(r, dry_run=dry_run),
                )
                for r in rows
            ),
        )
        if not dry_run:
            bulk_insert(new_homes)
            Home.objects.bulk_update([h for h, _ in changed_homes], HOME_FIELDS, batch_size=1000)
        new_tenancies, changed_tenancies = self._upsert(
            Tenancy,
            tenancies,
            TENANCY_FIELDS,
            (
                (
                    r["tenancy_ref"],
                    {
                        "home_id": homes[r["property_ref"]].pk,
                        "tenure": r["tenure"],
                        "start_date": r["tenancy_start_date"],
                    },
                )
                for r in rows
            ),
        )
        if not dry_run:
            bulk_insert(new_tenancies)
            Tenancy.objects.bulk_update([t for t, _ in changed_tenancies], TENANCY_FIELDS, batch_size=1000)
        new_residents, changed_residents = self._upsert(
            Resident,
            residents,
            RESIDENT_FIELDS,
            (
                (
                    r["person_ref"],
                    {
                        "title": r["title"],
                        "first_name": r["first_name"],
                        "last_name": r["last_name"],
                        "email": r["email"],
                        "phone": r["phone"],
                        "mobile": r["mobile"],
                        "tenancy_id": tenancies[r["tenancy_ref"]].pk,
                        "is_lead_tenant": r["lead_tenant"],
                        "home_id": homes[r["property_ref"]].pk,
                        "area_id": homes[r["property_ref"]].area_id,
                        "tenure": r["tenure"],
                        "postcode_key": normalise_postcode(r["postcode"]),
                        # Anyone on the housing system's current list is a current resident.
                        "status": Resident.Status.ACTIVE,
                    },
                )
                for r in rows
            ),
            defaults={"source": Resident.Source.IMPORT},
        )
        if not dry_run:
            bulk_insert(new_residents)
            Resident.objects.bulk_update([p for p, _ in changed_residents], RESIDENT_FIELDS, batch_size=1000)
            self._audit(new_residents, changed_residents)
        counts.created = len(new_residents)
        counts.updated = len(changed_residents)
        counts.unchanged = len(rows) - counts.created - counts.updated
        return counts

    def _home_values(self, row: dict[str, Any], *, dry_run: bool) -> dict[str, Any]:
        area = self._area(row["area"], Area.Level.AREA, None, dry_run=dry_run)
        estate = self._area(row["estate"], Area.Level.ESTATE, area, dry_run=dry_run)
        return {
            "address_line_1": row["address_line_1"],
            "address_line_2": row["address_line_2"],
            "town": row["town"],
            "postcode": row["postcode"],
            "uprn": row["uprn"],
            "estate_id": estate.pk if estate else None,
            "area_id": area.pk if area else None,
        }

    def _upsert(
        self,
        model: type[Any],
        existing: dict[str, Any],
        fields: tuple[str, ...],
        values: Any,
        defaults: dict[str, Any] | None = None,
    ) -> tuple[list[Any], list[tuple[Any, dict[str, list[Any]]]]]:
        """Split rows into new objects and changed objects (with their changes); unchanged rows drop out.

        New objects are added to `existing` so later rows of the same chunk (e.g. a second person in
        a tenancy) find them."""
        ref_field = "person_ref" if model is Resident else "reference"
        created: list[Any] = []
        created_refs: set[str] = set()
        changed: list[tuple[Any, dict[str, list[Any]]]] = []
        for ref, vals in values:
            obj = existing.get(ref)
            if obj is None:
                obj = model(organisation=self.organisation, **{ref_field: ref}, **vals, **(defaults or {}))
                existing[ref] = obj
                created.append(obj)
                created_refs.add(ref)
                continue
            if ref in created_refs:
                continue
            diff = {f: [getattr(obj, f), v] for f, v in vals.items() if getattr(obj, f) != v}
            if diff:
                for f, (_, v) in diff.items():
                    setattr(obj, f, v)
                changed.append((obj, diff))
        return created, changed

    def _audit(self, created: list[Resident], changed: list[tuple[Resident, dict[str, list[Any]]]]) -> None:
        # bulk writes skip auditlog's signals, so write the entries in bulk ourselves.
        content_type = ContentType.objects.get_for_model(Resident)
        extra = {"import_batch": self.batch.pk if self.batch else None}
        actor = self.actor if getattr(self.actor, "pk", None) else None
        entries = [
            LogEntry(
                content_type=content_type,
                object_pk=str(r.pk),
                object_id=r.pk,
                object_repr=str(r)[:200],
                action=LogEntry.Action.CREATE,
                changes={f: ["None", str(getattr(r, f))] for f in RESIDENT_FIELDS},
                actor=actor,
                additional_data=extra,
            )
            for r in created
        ] + [
            LogEntry(
                content_type=content_type,
                object_pk=str(r.pk),
                object_id=r.pk,
                object_repr=str(r)[:200],
                action=LogEntry.Action.UPDATE,
                changes={f: [str(old), str(new)] for f, (old, new) in diff.items()},
                actor=actor,
                additional_data=extra,
            )
            for r, diff in changed
        ]
        bulk_insert(entries)
