"""Staff and public pages: forms, redirects, double submits, scope and query counts."""

from __future__ import annotations

import datetime
from email import message_from_bytes

import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import Message
from core.notifications import message_send
from opportunities.models import Invitation, Opportunity
from opportunities.tests.factories import InvitationFactory, MenuItemFactory, OpportunityFactory, involved_resident
from people.models import Interest


def _future(days=10):
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d %m %Y")


def _form(**overrides):
    data = {
        "title": "Repairs focus group",
        "description": "Tell us about repairs.",
        "date": _future(),
        "time": "18:30",
        "hours": "2",
        "place": "Mill Lane community centre",
        "capacity": "8",
        "time_needed": "year",
        "levels": ["consulted", "involved"],
        "status": "open",
        "interests": [str(Interest.objects.get(code="repairs").pk)],
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_add_opportunity_bad_input_then_good(client, officer, org):
    client.force_login(officer)
    url = reverse("opportunities:opportunity-add")
    for overrides, message in (
        ({"capacity": "-1"}, "Enter the number of places, 1 or more"),
        ({"capacity": "lots"}, "Enter the number of places as a whole number"),
        ({"date": "1 1 2020"}, "The date and time must be in the future"),
        ({"date": "31 2 2030"}, "Enter a real date"),
        ({"reply_by": _future(20)}, "The reply-by date must be on or before"),
    ):
        response = client.post(url, _form(**overrides))
        assert response.status_code == 200, overrides
        assert message in response.content.decode(), overrides
    assert not Opportunity.objects.exists()
    response = client.post(url, _form(reply_by=_future(5)))
    opportunity = Opportunity.objects.get()
    assert response["Location"] == reverse("opportunities:opportunity-detail", args=[opportunity.pk])
    assert opportunity.capacity == 8 and opportunity.levels == ["consulted", "involved"]
    assert timezone.localtime(opportunity.starts_at).strftime("%H:%M") == "18:30"
    assert list(opportunity.interests.values_list("code", flat=True)) == ["repairs"]
    assert opportunity.created_by == officer


@pytest.mark.django_db
def test_edit_opportunity(client, officer, org):
    opportunity = OpportunityFactory(organisation=org, capacity=4)
    client.force_login(officer)
    url = reverse("opportunities:opportunity-edit", args=[opportunity.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(capacity="12", title="Changed"))
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.capacity == 12 and opportunity.title == "Changed"


@pytest.mark.django_db
def test_another_landlords_records_are_404(client, officer, other_org):
    opportunity = OpportunityFactory(organisation=other_org)
    invitation = InvitationFactory(opportunity=opportunity)
    client.force_login(officer)
    for name in ("opportunity-detail", "opportunity-edit", "opportunity-matches", "opportunity-attendance"):
        assert client.get(reverse(f"opportunities:{name}", args=[opportunity.pk])).status_code == 404, name
    assert client.get(reverse("opportunities:invitation-remove", args=[invitation.pk])).status_code == 404
    assert client.post(reverse("opportunities:invitation-remove", args=[invitation.pk])).status_code == 404
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.INVITED


@pytest.mark.django_db
def test_invite_from_the_matches_page_and_double_submit(client, officer, org):
    opportunity = OpportunityFactory(organisation=org)
    people = [involved_resident(org) for _ in range(3)]
    client.force_login(officer)
    url = reverse("opportunities:opportunity-matches", args=[opportunity.pk])
    assert b"Select at least one person" in client.post(url, {}).content
    chosen = {"residents": [str(people[0].pk), str(people[1].pk)]}
    response = client.post(url, chosen)
    assert response.status_code == 302
    again = client.post(url, chosen)  # the same form sent twice
    assert again.status_code == 200
    assert Invitation.objects.filter(opportunity=opportunity).count() == 2
    assert Message.objects.filter(template="opportunity_invitation").count() == 2
    saved = Invitation.objects.filter(opportunity=opportunity).first()
    assert saved.match_score is not None and saved.match_reasons


@pytest.mark.django_db
def test_list_pages_keep_query_counts_flat(client, officer, org, django_assert_max_num_queries):
    item = MenuItemFactory(organisation=org)
    for n in range(6):
        opportunity = OpportunityFactory(organisation=org, menu_item=item)
        for _ in range(n):
            InvitationFactory(opportunity=opportunity)
    client.force_login(officer)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("opportunities:opportunity-list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("opportunities:menu-list")).status_code == 200
    busiest = Opportunity.objects.order_by("-id").first()
    with django_assert_max_num_queries(20):
        assert client.get(reverse("opportunities:opportunity-detail", args=[busiest.pk])).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("opportunities:time-given")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("opportunities:public-menu", args=[org.slug])).status_code == 200


@pytest.mark.django_db
def test_answer_page_post_redirect_get_and_double_submit(client, org):
    invitation = InvitationFactory(opportunity=OpportunityFactory(organisation=org, title="Estate walkabout"))
    url = reverse("opportunities:invitation-answer", args=[invitation.token])
    page = client.get(url)
    assert page.status_code == 200 and b"Estate walkabout" in page.content
    assert page["Cache-Control"] == "no-store" and page["Referrer-Policy"] == "same-origin"
    assert b"Select yes if you can come" in client.post(url, {}).content
    response = client.post(url, {"answer": "yes"})
    assert response.status_code == 302 and response["Location"] == url
    assert client.post(url, {"answer": "yes"}).status_code == 302
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.ACCEPTED
    assert b"You have a place" in client.get(url).content


@pytest.mark.django_db
def test_bad_and_closed_links(client, org):
    assert client.get(reverse("opportunities:invitation-answer", args=["nonsense"])).status_code == 404
    opportunity = OpportunityFactory(organisation=org)
    invitation = InvitationFactory(opportunity=opportunity)
    Opportunity.objects.filter(pk=opportunity.pk).update(status=Opportunity.Status.CLOSED)
    url = reverse("opportunities:invitation-answer", args=[invitation.token])
    assert b"Replies for this have closed" in client.get(url).content
    response = client.post(url, {"answer": "yes"})
    assert response.status_code == 200 and b"Replies for this have closed" in response.content
    assert Invitation.objects.get(pk=invitation.pk).status == Invitation.Status.INVITED


# Email through a real SMTP server ------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_invitation_email_is_sent_over_smtp_and_its_link_answers(smtp, client, officer, org):
    opportunity = OpportunityFactory(organisation=org, title="Repairs focus group")
    resident = involved_resident(org, email="ada@example.org")
    client.force_login(officer)
    client.post(reverse("opportunities:opportunity-matches", args=[opportunity.pk]), {"residents": [str(resident.pk)]})
    message = Message.objects.get(template="opportunity_invitation")
    assert message_send(message_id=message.pk) == Message.Status.SENT
    assert len(smtp.messages) == 1
    envelope = smtp.messages[0]
    assert envelope.rcpt_tos == ["ada@example.org"]
    email = message_from_bytes(envelope.content)
    content = email.get_payload(decode=True).decode()
    assert "Repairs focus group" in email["Subject"] and "Repairs focus group" in content
    link = next(line for line in content.splitlines() if "/invitations/" in line).strip()
    assert link.startswith("http://testserver/invitations/")
    client.logout()
    path = link.removeprefix("http://testserver")
    assert client.post(path, {"answer": "no"}).status_code == 302
    assert Invitation.objects.get().status == Invitation.Status.DECLINED
