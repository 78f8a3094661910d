"""The pages: forms show what is wrong and save nothing; each role and resident sees only what
it may; the oversight panel's report leaves out personal details."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from complaints import services
from complaints.models import Case
from groups.tests.factories import GroupFactory, MembershipFactory
from people.tests.factories import ResidentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_user):
    return make_user(Role.MANAGER, username="manager")


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVOLVEMENT_OFFICER, username="officer")


@pytest.fixture
def code(org, manager):
    return services.procedure_load_preset(organisation=org, actor=manager, preset="chc-2024")


def _form(**change):
    data = {
        "kind": "complaint",
        "channel": "phone",
        "received_on": timezone.localdate().isoformat(),
        "summary": "The lift is broken again.",
        "submission_key": "k1",
    }
    return data | change


def test_staff_record_a_case_and_are_told_what_is_wrong(client, org, officer, code):
    resident = ResidentFactory(organisation=org, person_ref="P000123")
    client.force_login(officer)
    url = reverse("complaints:case-create")
    tomorrow = (timezone.localdate() + datetime.timedelta(days=2)).isoformat()
    for change, message in [
        ({"summary": ""}, "Enter what it is about"),
        ({"resident_reference": "P999999"}, "There is no resident with that person reference"),
        ({"received_on": tomorrow}, "The date received cannot be in the future"),
        ({"kind": ""}, "Choose what kind of case it is"),
        ({"procedure": ""}, "Choose the procedure it follows"),
    ]:
        response = client.post(url, _form(**{"procedure": str(code.pk), **change}))
        assert response.status_code == 200 and message in response.content.decode(), change
    bad_file = SimpleUploadedFile("notes.pdf", b"just text, not a pdf", content_type="application/pdf")
    response = client.post(url, _form(procedure=str(code.pk), attachments=[bad_file]))
    assert "notes.pdf" in response.content.decode()
    assert Case.objects.count() == 0

    response = client.post(url, _form(procedure=str(code.pk), resident_reference="p000123"))
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("complaints:case-detail", args=[case.pk])
    assert case.resident == resident and case.handler == officer
    client.post(url, _form(procedure=str(code.pk), resident_reference="P000123"))  # the same form again
    assert Case.objects.count() == 1


def test_the_due_list_reads_a_fixed_number_of_queries(client, org, officer, code, django_assert_max_num_queries):
    client.force_login(officer)
    url = reverse("complaints:overview")
    for _ in range(3):
        services.case_receive(organisation=org, actor=officer, kind="complaint", procedure=code, summary="x",
                              received_at=timezone.now() - datetime.timedelta(days=30), channel="phone")  # fmt: skip
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    for _ in range(10):
        services.case_receive(organisation=org, actor=officer, kind="complaint", procedure=code, summary="x",
                              received_at=timezone.now() - datetime.timedelta(days=30), channel="phone")  # fmt: skip
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url)
    assert "Acknowledgement late (13)" in response.content.decode()


def test_a_resident_sees_only_their_own_cases(client, org, other_org, make_user, code):
    ada_user = make_user(Role.RESIDENT, username="ada")
    ResidentFactory(organisation=org, user=ada_user)
    bob_user = make_user(Role.RESIDENT, username="bob")
    ResidentFactory(organisation=org, user=bob_user)
    client.force_login(ada_user)
    response = client.post(reverse("complaints:own-create"), {"kind": "complaint", "summary": "Damp in the bedroom.",
                                                                "submission_key": "once"})  # fmt: skip
    case = Case.objects.get()
    assert response["Location"] == reverse("complaints:own-received", args=[case.pk])
    client.post(reverse("complaints:own-create"), {"kind": "complaint", "summary": "Damp in the bedroom.",
                                                   "submission_key": "once"})  # fmt: skip
    assert Case.objects.count() == 1
    page = client.get(reverse("complaints:own-detail", args=[case.pk])).content.decode()
    assert case.reference in page and "Damp in the bedroom." in page

    client.force_login(bob_user)
    assert client.get(reverse("complaints:own-detail", args=[case.pk])).status_code == 404
    assert client.get(reverse("complaints:own-escalate", args=[case.pk])).status_code == 404
    assert case.reference not in client.get(reverse("complaints:own-list")).content.decode()
    staff_elsewhere = make_user(Role.MANAGER, organisation=other_org, username="elsewhere")
    client.force_login(staff_elsewhere)
    assert client.get(reverse("complaints:case-detail", args=[case.pk])).status_code == 404


def test_the_panel_report_is_for_the_oversight_panels_members_and_names_nobody(
    client, org, make_user, manager, officer
):
    panel = GroupFactory(organisation=org, name="Involvement Monitoring Panel")
    oxford = services.procedure_load_preset(organisation=org, actor=manager, preset="oxford-concerns")
    services.settings_update(organisation=org, actor=manager, head_of_service=None, oversight_group=panel,
                             remind_days_before=2, ombudsman_details="Housing Ombudsman")  # fmt: skip
    complainant = ResidentFactory(organisation=org, first_name="Hortensia", last_name="Blenkinsop")
    case = services.case_receive(organisation=org, actor=officer, kind="concern", procedure=oxford, resident=complainant,
                                 summary="Private words about my neighbour", received_at=timezone.now(),
                                 channel="email", service_area="Meetings")  # fmt: skip
    member_user = make_user(Role.INVOLVED_RESIDENT, username="member")
    MembershipFactory(group=panel, resident=ResidentFactory(organisation=org, user=member_user))
    outsider = make_user(Role.INVOLVED_RESIDENT, username="outsider")
    ResidentFactory(organisation=org, user=outsider)
    unlinked = make_user(Role.INVOLVED_RESIDENT, username="unlinked")
    url = reverse("complaints:my-panel-report")

    client.force_login(member_user)
    page = client.get(url).content.decode()
    assert case.reference in page and "Meetings" in page
    assert "Hortensia" not in page and "Blenkinsop" not in page and "Private words" not in page
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    client.force_login(unlinked)
    assert client.get(url).status_code == 404


def test_managers_edit_stages_letters_and_settings(client, org, manager, officer, code):
    client.force_login(manager)
    stage = code.stages.get(code="stage-1")
    response = client.post(reverse("complaints:stage-edit", args=[stage.pk]), {
        "name": "Stage one", "handler": "Customer Resolution Team", "acknowledge_days": "5", "respond_days": "10",
        "respond_from": "acknowledgement", "extension_days": "10", "extension_needs_reasons": "on", "tsm_stage": "1",
    })  # fmt: skip
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.name == "Stage one" and stage.handler == "Customer Resolution Team"
    response = client.post(reverse("complaints:stage-edit", args=[stage.pk]), {
        "name": "Stage one", "handler": "x", "respond_from": "meeting", "extension_days": "0",
    })  # fmt: skip
    assert "Choose the group whose meeting the clock runs from" in response.content.decode()
    response = client.post(reverse("complaints:letter-edit", args=["responded"]), {"subject": "", "body": "x"})
    assert response.status_code == 200 and "Enter a subject" in response.content.decode()
    response = client.post(
        reverse("complaints:letter-edit", args=["responded"]), {"subject": "Answer $reference", "body": "Dear $name"}
    )
    assert response.status_code == 302
    assert client.get(reverse("complaints:letter-edit", args=["nonsense"])).status_code == 404
    client.force_login(officer)
    assert client.get(reverse("complaints:letter-edit", args=["responded"])).status_code == 403
