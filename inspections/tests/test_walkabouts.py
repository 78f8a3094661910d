"""Walkabouts: findings as actions, photo uploads checked by content, follow-up, the procedure and public summaries."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from core import uploads
from core.calendar import calendar_for
from core.models import ClosureDay
from inspections import selectors, services
from inspections.models import Finding, FindingPhoto, FindingUpdate, Walkabout, WalkaboutProcedure
from inspections.tests.factories import FindingFactory, WalkaboutFactory
from people.tests.factories import AreaFactory, ResidentFactory

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def png_bytes(size=(40, 30), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
    return buffer.getvalue()


def photo(name="mattress.jpg", content=None, content_type="image/jpeg"):
    return SimpleUploadedFile(name, png_bytes(fmt="JPEG") if content is None else content, content_type=content_type)


@pytest.fixture
def walkabout(org):
    return WalkaboutFactory(organisation=org, area=AreaFactory(organisation=org, name="Larkhill", level="estate"))


FINDING = {
    "category": "litter",
    "description": "Dumped mattress",
    "location": "Bin store behind 12 Larkhill Road",
    "action": "Bulky waste collection",
    "owner_team": "Estate services",
}


# --- Photos ----------------------------------------------------------------------------------------------


def test_a_real_photo_is_stored_under_a_random_name_with_its_real_type(walkabout, officer, settings):
    finding = services.finding_add(
        walkabout=walkabout, values=FINDING, photos=[(photo(name="x.png"), "The mattress")], actor=officer
    )
    stored = finding.photos.get()
    assert stored.content_type == "image/jpeg" and (stored.width, stored.height) == (40, 30)
    assert stored.image.name.startswith("inspections/photos/") and stored.image.name.endswith(".jpg")
    assert "x.png" not in stored.image.name
    assert (settings.MEDIA_ROOT / stored.image.name).exists()


def test_a_non_image_renamed_jpg_is_refused(walkabout, officer):
    fake = photo(name="holiday.jpg", content=b"MZ\x90\x00 this is a Windows program, not a photo" * 20)
    with pytest.raises(ValidationError) as exc:
        services.finding_add(walkabout=walkabout, values=FINDING, photos=[(fake, "A photo")], actor=officer)
    assert exc.value.message_dict["photo"] == ["The selected file must be a photo: a JPG, PNG or WebP image"]
    assert not Finding.objects.exists() and not FindingPhoto.objects.exists()


def test_a_truncated_image_is_refused():
    broken = png_bytes(size=(200, 200))[:120]
    with pytest.raises(ValidationError, match="must be a photo"):
        uploads.check_photo(photo(content=broken))


def test_an_svg_or_gif_is_refused():
    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
    with pytest.raises(ValidationError, match="must be a photo"):
        uploads.check_photo(photo(name="a.svg", content=svg, content_type="image/svg+xml"))
    with pytest.raises(ValidationError, match="must be a photo"):
        uploads.check_photo(photo(name="a.gif", content=png_bytes(fmt="GIF")))


def test_an_oversized_photo_is_refused(monkeypatch, walkabout, officer):
    monkeypatch.setattr(uploads, "PHOTO_MAX_BYTES", 1000)
    big = photo(content=png_bytes(size=(300, 300)) + b"\x00" * 2000)
    with pytest.raises(ValidationError) as exc:
        services.finding_add(walkabout=walkabout, values=FINDING, photos=[(big, "Big")], actor=officer)
    assert "smaller than" in exc.value.message_dict["photo"][0]


def test_oversized_photo_from_the_page(client, walkabout, officer, monkeypatch):
    monkeypatch.setattr(uploads, "PHOTO_MAX_BYTES", 1024 * 1024)
    finding = FindingFactory(walkabout=walkabout)
    client.force_login(officer)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8\xff" + b"\x00" * (1024 * 1024 + 10), content_type="image/jpeg")
    page = client.post(
        f"/staff/walkabouts/findings/{finding.pk}/photos/new/", {"photo": big, "photo_description": "Big"}
    ).content.decode()
    assert "The photo must be smaller than 1 MB" in page and "There is a problem" in page
    assert not FindingPhoto.objects.exists()


def test_photos_are_served_only_to_staff_of_the_landlord(client, walkabout, officer, make_user, other_org):
    finding = services.finding_add(walkabout=walkabout, values=FINDING, photos=[(photo(), "Mattress")], actor=officer)
    stored = finding.photos.get()
    url = f"/staff/walkabouts/finding-photos/{stored.pk}/"
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content)[:3] == b"\xff\xd8\xff"
    client.force_login(make_user(Role.INVOLVEMENT_OFFICER, organisation=other_org, username="other-officer"))
    assert client.get(url).status_code == 404
    client.force_login(make_user(Role.INVOLVED_RESIDENT, username="panel-member"))
    assert client.get(url).status_code == 403
    client.logout()
    assert client.get(url).status_code == 302
    # The file is not under any public URL: MEDIA_URL is not served.
    assert client.get(f"/media/{stored.image.name}").status_code == 404


# --- Findings as actions ------------------------------------------------------------------------------------


def test_default_due_date_counts_working_days(org, walkabout, officer):
    # A closure day inside the window pushes the due date one working day later.
    ClosureDay.objects.create(organisation=org, date=walkabout.date + datetime.timedelta(days=3), reason="Training")
    finding = services.finding_add(walkabout=walkabout, values=FINDING, actor=officer)
    expected = calendar_for(org).add_working_days(walkabout.date, services.FINDING_DEFAULT_WORKING_DAYS)
    assert finding.due_on == expected
    assert calendar_for(org).working_days_between(walkabout.date, finding.due_on) == 20


def test_a_finding_needs_an_owner_and_a_sensible_due_date(walkabout, officer, make_user, other_org):
    with pytest.raises(ValidationError) as exc:
        services.finding_add(walkabout=walkabout, values={**FINDING, "owner_team": ""}, actor=officer)
    assert "Choose who owns this action" in exc.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as exc:
        services.finding_add(
            walkabout=walkabout, values=FINDING, due_on=walkabout.date - datetime.timedelta(days=1), actor=officer
        )
    assert "on or after the day of the walkabout" in exc.value.message_dict["due_on"][0]
    stranger = make_user(Role.INVOLVEMENT_OFFICER, organisation=other_org, username="stranger")
    with pytest.raises(ValidationError, match="member of staff at this landlord"):
        services.finding_add(walkabout=walkabout, values={**FINDING, "owner": stranger}, actor=officer)
    with pytest.raises(ValidationError, match="member of staff at this landlord"):
        services.finding_add(
            walkabout=walkabout,
            values={**FINDING, "owner": make_user(Role.INVOLVED_RESIDENT, username="res")},
            actor=officer,
        )


def test_closing_a_finding_needs_a_note(walkabout, officer):
    finding = FindingFactory(walkabout=walkabout)
    with pytest.raises(ValidationError) as exc:
        services.finding_close(finding=finding, note="   ", actor=officer)
    assert exc.value.message_dict["note"] == ["Enter what was done, to close this action"]
    finding.refresh_from_db()
    assert finding.status == Finding.Status.OPEN


def test_closing_from_the_page_without_a_note_shows_the_error(client, walkabout, officer):
    finding = FindingFactory(walkabout=walkabout)
    client.force_login(officer)
    page = client.post(f"/staff/walkabouts/findings/{finding.pk}/close/", {"note": ""}).content.decode()
    assert "Enter what was done, to close this action" in page
    response = client.post(f"/staff/walkabouts/findings/{finding.pk}/close/", {"note": "Mattress removed 3 March"})
    assert response.status_code == 302
    again = client.post(f"/staff/walkabouts/findings/{finding.pk}/close/", {"note": "Mattress removed 3 March"})
    assert again.status_code == 302
    finding.refresh_from_db()
    assert finding.is_closed and finding.closed_by == officer and finding.closing_note == "Mattress removed 3 March"
    assert FindingUpdate.objects.filter(finding=finding).count() == 1


def test_update_progress_and_reopen(walkabout, officer):
    finding = FindingFactory(walkabout=walkabout)
    with pytest.raises(ValidationError, match="Enter a note"):
        services.finding_update(finding=finding, values={"status": "in_progress"}, note="", actor=officer)
    services.finding_update(finding=finding, values={"status": "in_progress"}, note="Ordered", actor=officer)
    services.finding_close(finding=finding, note="Done", actor=officer)
    services.finding_update(finding=finding, values={"status": "open"}, note="Dumped again", actor=officer)
    finding.refresh_from_db()
    assert finding.status == "open" and finding.closed_at is None and finding.closing_note == ""
    assert list(finding.updates.values_list("status", flat=True)) == ["in_progress", "closed", "open"]


def test_overdue_findings_are_flagged_in_working_days(org, walkabout, officer):
    today = TODAY()
    late = FindingFactory(walkabout=walkabout, due_on=today - datetime.timedelta(days=14))
    FindingFactory(walkabout=walkabout, due_on=today + datetime.timedelta(days=3))
    FindingFactory(walkabout=walkabout, due_on=today - datetime.timedelta(days=30), status="closed")
    flagged = {f.pk: f.overdue_days for f in selectors.action_list(user=officer, show="open")}
    assert flagged[late.pk] == calendar_for(org).working_days_between(late.due_on, today)
    assert sorted(flagged.values())[0] == 0
    assert [f.pk for f in selectors.action_list(user=officer, show="overdue")] == [late.pk]


def test_action_list_page(client, walkabout, officer, django_assert_max_num_queries):
    for i in range(5):
        FindingFactory(walkabout=walkabout, due_on=TODAY() - datetime.timedelta(days=i * 5))
    client.force_login(officer)
    with django_assert_max_num_queries(10):
        page = client.get("/staff/walkabouts/actions/?show=overdue").content.decode()
    assert "4 overdue actions" in page and "working days late" in page


def test_managers_can_see_but_not_change(client, walkabout, manager):
    finding = FindingFactory(walkabout=walkabout)
    client.force_login(manager)
    assert client.get(f"/staff/walkabouts/findings/{finding.pk}/").status_code == 200
    assert client.post(f"/staff/walkabouts/findings/{finding.pk}/close/", {"note": "x"}).status_code == 403
    with pytest.raises(PermissionDenied):
        services.finding_close(finding=finding, note="x", actor=manager)


def test_another_landlords_walkabout_is_not_found(client, other_org, officer):
    elsewhere = WalkaboutFactory(organisation=other_org)
    finding = FindingFactory(walkabout=elsewhere)
    client.force_login(officer)
    assert client.get(f"/staff/walkabouts/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/staff/walkabouts/findings/{finding.pk}/").status_code == 404
    assert client.post(f"/staff/walkabouts/findings/{finding.pk}/close/", {"note": "x"}).status_code == 404


# --- Walkabouts -------------------------------------------------------------------------------------------------


def test_record_a_walkabout_with_attendees(client, org, other_org, officer):
    estate = AreaFactory(organisation=org, name="Ashfield", level="estate")
    came = ResidentFactory(organisation=org, person_ref="R-1001")
    stranger = ResidentFactory(organisation=other_org, person_ref="R-2002")
    WalkaboutProcedure.objects.create(organisation=org, version=1, text="Meet at the community centre.")
    client.force_login(officer)
    data = {
        "kind": "eva",
        "area": estate.pk,
        "date": TODAY().strftime("%d/%m/%Y"),
        "start_time": "10:30",
        "route": "Round the estate",
        "resident_refs": f"{came.person_ref}\n{stranger.person_ref}",
        "other_residents": "3",
        "staff_attending": "Sam Patel, housing officer",
        "others_attending": "PC Jones, neighbourhood policing",
    }
    page = client.post("/staff/walkabouts/new/", data).content.decode()
    assert "There is no resident with the person reference R-2002" in page
    assert not Walkabout.objects.exists()
    response = client.post("/staff/walkabouts/new/", {**data, "resident_refs": came.person_ref})
    walkabout = Walkabout.objects.get()
    assert response["Location"].endswith(f"/staff/walkabouts/{walkabout.pk}/")
    assert list(walkabout.residents_attending.all()) == [came]
    assert walkabout.procedure.version == 1
    detail = client.get(f"/staff/walkabouts/{walkabout.pk}/").content.decode()
    assert "PC Jones" in detail and "Meet at the community centre." in detail and "and 3 other residents" in detail


def test_another_landlords_area_is_refused(walkabout, other_org, officer):
    with pytest.raises(ValidationError, match="another landlord"):
        services.walkabout_update(
            walkabout=walkabout, values={"area": AreaFactory(organisation=other_org)}, actor=officer
        )


def test_finding_page_records_a_finding_with_a_photo(client, walkabout, officer):
    client.force_login(officer)
    response = client.post(
        f"/staff/walkabouts/{walkabout.pk}/findings/new/",
        {**FINDING, "owner": officer.pk, "photo": photo(), "photo_description": "The mattress"},
    )
    finding = Finding.objects.get()
    assert response["Location"].endswith(f"/staff/walkabouts/findings/{finding.pk}/")
    assert finding.owner == officer and finding.photos.count() == 1
    page = client.get(f"/staff/walkabouts/findings/{finding.pk}/").content.decode()
    assert f'src="/staff/walkabouts/finding-photos/{finding.photos.get().pk}/"' in page and 'alt="The mattress"' in page
    bad = client.post(
        f"/staff/walkabouts/{walkabout.pk}/findings/new/",
        {**FINDING, "photo": photo(content=b"not an image at all"), "photo_description": "x"},
    ).content.decode()
    assert "The selected file must be a photo" in bad and Finding.objects.count() == 1


# --- Public summary -----------------------------------------------------------------------------------------------


def test_public_summary_shows_what_was_found_and_done_without_names(client, org, walkabout, officer):
    walkabout.residents_attending.add(ResidentFactory(organisation=org, first_name="Prudence", last_name="Quill"))
    walkabout.others_attending = "Cllr Secret Name"
    walkabout.save()
    open_finding = services.finding_add(
        walkabout=walkabout, values=FINDING, photos=[(photo(), "The mattress")], actor=officer
    )
    done = FindingFactory(walkabout=walkabout, category="lighting", location="Car park", description="Lamp out")
    services.finding_close(finding=done, note="New lamp fitted", actor=officer)
    url = f"/walkabouts/{org.slug}/summaries/{walkabout.pk}/"
    assert client.get(url).status_code == 404  # not published yet
    with pytest.raises(ValidationError, match="Enter a summary"):
        services.walkabout_complete(walkabout=walkabout, summary=" ", actor=officer)
    services.walkabout_complete(walkabout=walkabout, summary="We walked Larkhill with residents.", actor=officer)
    page = client.get(url).content.decode()
    assert "We walked Larkhill with residents." in page
    assert "Still being dealt with (1)" in page and "Bulky waste collection" in page
    assert "Done (1)" in page and "New lamp fitted" in page
    assert "Quill" not in page and "Secret Name" not in page and "finding-photos" not in page
    assert open_finding.location in page
    listing = client.get(f"/walkabouts/{org.slug}/").content.decode()
    assert url in listing and "2 things found, 1 done" in listing


def test_a_future_walkabout_cannot_be_completed(walkabout, officer):
    walkabout.date = TODAY() + datetime.timedelta(days=2)
    walkabout.save()
    with pytest.raises(ValidationError, match="future date"):
        services.walkabout_complete(walkabout=walkabout, summary="Done", actor=officer)


def test_public_summary_of_another_landlord_is_not_found(client, org, other_org):
    theirs = WalkaboutFactory(organisation=other_org, status="completed", public_summary="Theirs")
    assert client.get(f"/walkabouts/{org.slug}/summaries/{theirs.pk}/").status_code == 404
    assert client.get(f"/walkabouts/{other_org.slug}/summaries/{theirs.pk}/").status_code == 200
    assert client.get("/walkabouts/no-such-landlord/").status_code == 404


# --- Procedure ------------------------------------------------------------------------------------------------------


def test_procedure_versions_and_document_checks(client, org, officer, manager):
    first = services.procedure_publish(
        organisation=org, values={"text": "Walk the estate.", "effective_from": TODAY()}, actor=officer
    )
    pdf = SimpleUploadedFile("Walkabout procedure.pdf", b"%PDF-1.7\n" + b"x" * 100, content_type="application/pdf")
    second = services.procedure_publish(
        organisation=org,
        values={"text": "Walk the estate with the councillor.", "change_note": "Councillors invited"},
        document=pdf,
        actor=officer,
    )
    assert (first.version, second.version) == (1, 2)
    assert second.document.name.endswith(".pdf") and second.document_type == "application/pdf"
    renamed = SimpleUploadedFile("procedure.pdf", b"<html>not a pdf</html>", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.procedure_publish(organisation=org, values={"text": "x"}, document=renamed, actor=officer)
    assert "must be a PDF, Word" in exc.value.message_dict["document"][0]
    with pytest.raises(PermissionDenied):
        services.procedure_publish(organisation=org, values={"text": "x"}, actor=manager)
    client.force_login(manager)
    page = client.get("/staff/walkabouts/procedure/").content.decode()
    assert "Walk the estate with the councillor." in page and "Version 2" in page
    download = client.get(f"/staff/walkabouts/procedure/{second.pk}/document/")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    assert client.get(f"/staff/walkabouts/procedure/{first.pk}/document/").status_code == 404
