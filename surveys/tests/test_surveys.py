"""Building, versions, answering from a link with skip logic, paper entry, invitations, results."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role
from core.models import Message
from groups.tests.factories import GroupFactory, MembershipFactory
from people.tests.factories import AreaFactory, OrganisationFactory
from surveys import selectors, services
from surveys.models import Answer, Invitation, Response, Survey
from surveys.tests.factories import consenting_resident, repairs_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user(Role.INVOLVEMENT_OFFICER, username="officer")


def _invite(survey, resident):
    return Invitation.objects.create(survey=survey, resident=resident)


def test_building_checks_questions_and_a_live_survey_changes_only_through_a_new_version(org, officer, make_user):
    survey = repairs_survey(org, officer, publish=False)
    page = survey.versions.get().sections.first()
    for kwargs, field in [
        ({"kind": "single", "text": "x", "options": ["Only one"]}, "options"),
        ({"kind": "matrix", "text": "x", "options": ["a", "b"]}, "rows"),
        ({"kind": "text", "text": " "}, "text"),
        ({"kind": "text", "text": "x", "show_if_code": "q5"}, "show_if_code"),  # a text question has no options
        ({"kind": "text", "text": "x", "show_if_code": "q2", "show_if_values": ["Maybe"]}, "show_if_values"),
        ({"kind": "text", "text": "x", "show_if_code": "q2", "show_if_values": ["Yes"]}, "show_if_code"),  # same page
    ]:
        with pytest.raises(ValidationError) as caught:
            services.question_add(survey=survey, actor=officer, section=page, **kwargs)
        assert field in caught.value.message_dict, kwargs
    with pytest.raises(PermissionDenied):
        services.question_add(survey=survey, actor=make_user(Role.MANAGER), section=page, kind="text", text="x")
    services.survey_publish(survey=survey, actor=officer)
    with pytest.raises(ValidationError, match="new version"):
        services.question_add(survey=survey, actor=officer, section=page, kind="text", text="Late addition")

    survey.refresh_from_db()
    inv = _invite(survey, consenting_resident(org))
    response = services.response_for_invitation(inv)
    services.response_save_page(response=response, section=page, values={"q1": "Neither", "q2": "No"})
    draft = services.version_draft(survey=survey, actor=officer)
    assert draft.number == 2 and draft.questions.count() == 6
    services.question_add(survey=survey, actor=officer, section=draft.sections.first(), kind="text", text="New one",
                          required=False)  # fmt: skip
    services.survey_publish(survey=survey, actor=officer)
    survey.refresh_from_db()
    assert survey.live_version == draft
    # The response started on version 1 finishes on version 1.
    response = services.response_submit(response=response)
    assert response.version.number == 1
    assert set(response.answers.values_list("question__version__number", flat=True)) == {1}
    results = selectors.results(survey=survey)
    q1 = next(r for r in results.questions if r.question.code == "q1")
    assert q1.answered == 1 and q1.counts[""]["Neither"] == 1  # version 1's answer under the live question


def test_a_resident_answers_page_by_page_and_the_skip_logic_leaves_out_what_does_not_apply(client, org, officer):
    survey = repairs_survey(org, officer)
    resident = consenting_resident(org, area=AreaFactory(organisation=org, name="North"))
    token = services.token_for(_invite(survey, resident))
    start = client.get(reverse("surveys:answer", args=[token]))
    assert start.status_code == 200 and "Repairs survey" in start.content.decode()
    assert start["Cache-Control"] == "private, no-store"
    page1 = reverse("surveys:answer-page", args=[token, 1])
    problem = client.post(page1, {"q1": "Very satisfied"})
    assert "Choose an answer" in problem.content.decode()
    assert client.post(page1, {"q1": "Banana", "q2": "No"}).status_code == 200  # not one of the options
    done = client.post(page1, {"q1": "Very satisfied", "q2": "No"})
    # Page 2 is only for those who had a repair: straight to page 3.
    assert done["Location"] == reverse("surveys:answer-page", args=[token, 3])
    assert client.post(reverse("surveys:answer-page", args=[token, 3]), {"q5": "", "q6": "seven"}).status_code == 200
    to_check = client.post(reverse("surveys:answer-page", args=[token, 3]), {"q5": "More evening slots", "q6": "7"})
    assert to_check["Location"] == reverse("surveys:answer-check", args=[token])
    check = client.get(to_check["Location"]).content.decode()
    assert "More evening slots" in check and "What was good?" not in check
    sent = client.post(reverse("surveys:answer-check", args=[token]))
    assert sent["Location"] == reverse("surveys:answer-done", args=[token])
    response = Response.objects.get()
    assert response.submitted_at and response.resident == resident and response.area.name == "North"
    assert sorted(response.answers.values_list("question__code", flat=True)) == ["q1", "q2", "q5", "q6"]
    # A second send, or going back to a page, changes nothing.
    client.post(reverse("surveys:answer-check", args=[token]))
    assert client.get(page1)["Location"] == reverse("surveys:answer-done", args=[token])
    assert Answer.objects.count() == 4 and Invitation.objects.get().responded_at is not None
    assert client.get(reverse("surveys:answer", args=[token + "x"])).status_code == 404


def test_anonymous_answers_are_not_linked_and_a_closed_survey_takes_none(client, org, officer):
    survey = repairs_survey(org, officer, anonymous=True)
    token = services.token_for(_invite(survey, consenting_resident(org)))
    client.post(reverse("surveys:answer-page", args=[token, 1]), {"q1": "Neither", "q2": "No"})
    client.post(reverse("surveys:answer-check", args=[token]))
    assert Response.objects.get().resident is None
    services.survey_close(survey=survey, actor=officer)
    other = services.token_for(_invite(survey, consenting_resident(org)))
    assert "not open for answers" in client.get(reverse("surveys:answer", args=[other])).content.decode()


def test_staff_type_in_paper_answers_once_with_the_method(org, officer):
    survey = repairs_survey(org, officer)
    resident = consenting_resident(org)
    values = {
        "q1": "Fairly satisfied",
        "q2": "Yes",
        "q3": ["Tidy", "Quick"],
        "q4": {"On time": "Good", "Explained": "Poor"},
    }
    with pytest.raises(ValidationError) as caught:
        services.response_enter(
            survey=survey, actor=officer, method="paper", values={**values, "q4": {"On time": "Good"}}
        )
    assert "q4" in caught.value.message_dict
    first = services.response_enter(survey=survey, actor=officer, method="phone", values=values, resident=resident,
                                    submission_key="k")  # fmt: skip
    again = services.response_enter(survey=survey, actor=officer, method="phone", values=values, resident=resident,
                                    submission_key="k")  # fmt: skip
    assert first.pk == again.pk and first.method == "phone" and first.entered_by == officer
    assert sorted(first.answers.filter(question__code="q3").values_list("choice", flat=True)) == ["Quick", "Tidy"]
    assert set(first.answers.filter(question__code="q4").values_list("row", "choice")) == {
        ("On time", "Good"),
        ("Explained", "Poor"),
    }
    _invite(survey, resident)
    with pytest.raises(ValidationError):
        services.response_enter(survey=survey, actor=officer, method="paper", values=values, resident=resident)
    with pytest.raises(ValidationError):
        services.response_enter(survey=survey, actor=officer, method="pigeon", values=values)


def test_invitations_reach_the_chosen_residents_in_their_own_way(org, other_org, officer):
    survey = repairs_survey(org, officer)
    north, south = AreaFactory(organisation=org, name="North"), AreaFactory(organisation=org, name="South")
    northerners = [
        consenting_resident(
            org, area=north, email=f"n{i}@example.org", contact_by_email=True, preferred_channel="email"
        )
        for i in range(6)
    ]
    consenting_resident(org, area=south)
    from people.tests.factories import ResidentFactory

    ResidentFactory(organisation=org, area=north)  # no consent to be contacted
    consenting_resident(other_org)
    panel = GroupFactory(organisation=org)
    MembershipFactory(group=panel, resident=northerners[0])

    audience = services.Audience(area_ids=[north.pk])
    assert services.audience_residents(survey=survey, audience=audience).count() == 6
    assert services.audience_residents(survey=survey, audience=services.Audience(group_id=panel.pk)).count() == 1
    sample = services.Audience(area_ids=[north.pk], sample=3, seed=7)
    assert services.invitations_send(survey=survey, actor=officer, audience=sample) == 3
    first_draw = set(Invitation.objects.values_list("resident_id", flat=True))
    Invitation.objects.all().delete()
    services.invitations_send(survey=survey, actor=officer, audience=sample)
    assert set(Invitation.objects.values_list("resident_id", flat=True)) == first_draw  # the same seed, the same draw
    message = Message.objects.filter(template="survey_invitation").first()
    assert message.channel == "email" and "/surveys/answer/" in message.body
    # Those invited already are left out.
    assert services.invitations_send(survey=survey, actor=officer, audience=audience) == 3
    # A reminder goes once, to those who have not answered, with the same link.
    answered = Invitation.objects.first()
    Invitation.objects.filter(pk=answered.pk).update(responded_at=answered.sent_at)
    assert services.invitations_remind(survey=survey, actor=officer) == 5
    assert services.invitations_remind(survey=survey, actor=officer) == 0
    reminder = Message.objects.filter(template="survey_reminder").first()
    assert services.token_for(reminder.because) in reminder.body


def test_results_count_each_answer_and_cross_tabs_hide_small_numbers(client, org, officer, make_user):
    survey = repairs_survey(org, officer)
    north, south = AreaFactory(organisation=org, name="North"), AreaFactory(organisation=org, name="South")
    answers = ["Very satisfied"] * 5 + ["Neither", "Fairly satisfied"] + ["Neither", "Neither"]
    for i, satisfied in enumerate(answers):  # 7 in the North, 2 in the South
        resident = consenting_resident(org, area=north if i < 7 else south)
        services.response_enter(survey=survey, actor=officer, method="paper", resident=resident,
                                values={"q1": satisfied, "q2": "No", "q5": "=HYPERLINK(\"x\")" if i == 0 else ""})  # fmt: skip
    results = selectors.results(survey=survey, by="area")
    q1 = results.questions[0]
    assert q1.answered == 9
    row = {o: (n, pct) for o, n, pct in q1.rows()[0][1]}
    assert row["Very satisfied"][0] == 5 and str(row["Very satisfied"][1]) == "55.6"
    north_cells = {c.label: c for c in q1.cross[""]["North"]}
    assert north_cells["Very satisfied"].count == 5 and north_cells["Neither"].count is None  # 1 of 7: hidden
    assert north_cells["Fairly satisfied"].count is None
    assert all(c.count is None for c in q1.cross[""]["South"])  # 2 in all: the whole column hidden
    csv_text = selectors.export_csv(survey=survey)
    assert "'=HYPERLINK" in csv_text and csv_text.splitlines()[0].startswith("response,method,sent,area,tenure,q1")
    book = load_workbook(io.BytesIO(selectors.export_xlsx(survey=survey)))
    assert book["Responses"].max_row == 10

    client.force_login(officer)
    page = client.get(reverse("surveys:survey-results", args=[survey.pk]) + "?by=area").content.decode()
    assert "55.6%" in page and "not shown" in page
    text = Answer.objects.get(question__code="q5")
    client.post(reverse("surveys:answer-themes", args=[text.pk]), {"themes": "Repairs\nPhone line"})
    assert sorted(text.themes.values_list("name", flat=True)) == ["Phone line", "Repairs"]
    elsewhere = make_user(
        Role.INVOLVEMENT_OFFICER,
        organisation=OrganisationFactory(),
        username="other",
    )
    client.force_login(elsewhere)
    assert client.get(reverse("surveys:survey-results", args=[survey.pk])).status_code == 404


def test_a_closed_consultation_publishes_what_was_heard(client, org, officer):
    survey = repairs_survey(org, officer)
    with pytest.raises(ValidationError, match="Close"):
        services.summary_publish(survey=survey, actor=officer, summary="You said, we did.")
    services.survey_close(survey=survey, actor=officer)
    services.summary_publish(survey=survey, actor=officer, summary="You said evenings; we now offer them.")
    page = client.get(reverse("surveys:published-list", args=[org.slug])).content.decode()
    assert "we now offer them" in page and Survey.objects.get().status == "closed"


def test_the_invite_page_counts_then_sends(client, org, officer):
    survey = repairs_survey(org, officer)
    north = AreaFactory(organisation=org, name="North")
    for _ in range(3):
        consenting_resident(org, area=north)
    client.force_login(officer)
    url = reverse("surveys:survey-invite", args=[survey.pk])
    counted = client.post(url, {"areas": [str(north.pk)], "count": ""})
    assert "3 residents would be invited" in counted.content.decode() and not Invitation.objects.exists()
    sent = client.post(url, {"areas": [str(north.pk)], "sample": "2", "send": ""})
    assert sent.status_code == 302 and Invitation.objects.count() == 2


def test_the_tally_kept_as_answers_are_sent_matches_a_recount_of_the_answer_rows(org, officer):
    """Results read the tally; it must always equal what counting every answer row gives."""
    import random

    from surveys.models import Tally

    survey = repairs_survey(org, officer)
    areas = [AreaFactory(organisation=org, name=n) for n in ("North", "South")]
    rng = random.Random(6)
    scale = ["Very satisfied", "Fairly satisfied", "Neither", "Fairly dissatisfied", "Very dissatisfied"]
    for i in range(30):
        resident = consenting_resident(
            org, area=rng.choice(areas), tenure=rng.choice(["secure_assured", "leaseholder"])
        )
        had_repair = rng.choice(["Yes", "No"])
        values = {"q1": rng.choice(scale), "q2": had_repair, "q6": str(rng.randint(0, 30))}
        if had_repair == "Yes":
            values["q3"] = rng.sample(["Quick", "Polite", "Tidy"], rng.randint(0, 3))
            values["q4"] = {"On time": rng.choice(["Good", "Poor"]), "Explained": rng.choice(["Good", "Poor"])}
        if i % 3 == 0:
            values["q5"] = "Fine"
        if i % 2:
            services.response_enter(survey=survey, actor=officer, method="paper", values=values, resident=resident)
        else:
            response = services.response_for_invitation(_invite(survey, resident))
            for section in survey.live_version.sections.all():
                response = services.response_save_page(response=response, section=section, values=values)
            services.response_submit(response=response)

    def snapshot():
        return sorted(Tally.objects.filter(survey=survey).values_list("code", "matrix_row", "choice", "area_key",
                                                                     "tenure", "n"))  # fmt: skip

    kept = snapshot()
    assert services.tally_rebuild(survey=survey) == len(kept)
    assert snapshot() == kept
    results = {r.question.code: r for r in selectors.results(survey=survey, by="area").questions}
    answers = Answer.objects.filter(survey=survey)
    assert results["q1"].answered == 30 == sum(results["q1"].counts[""].values())
    assert results["q3"].answered == answers.filter(question__code="q3").values("response").distinct().count()
    assert results["q4"].counts["On time"]["Good"] == answers.filter(question__code="q4", row="On time",
                                                                     choice="Good").count()  # fmt: skip
    assert results["q5"].answered == 10 and len(results["q5"].texts) == 10
    assert results["q6"].answered == 30 and results["q6"].average is not None


def test_cross_tabs_by_equality_characteristics_are_for_roles_that_may_see_them_and_hide_small_groups(
    client, org, officer, make_user
):
    import datetime

    from people.ages import age_band, age_band_expression
    from people.models import EqualityProfile

    survey = repairs_survey(org, officer)
    people = [("female", datetime.date(1950, 1, 1), "Very satisfied")] * 9
    people += [("female", datetime.date(1950, 1, 1), "Neither")] * 6
    people += [("male", datetime.date(1990, 6, 1), "Very satisfied")] * 8 + [
        ("male", datetime.date(1990, 6, 1), "Neither")
    ] * 7
    people += [("male", datetime.date(1990, 6, 1), "Very dissatisfied")] * 2
    people += [("", None, "Neither")] * 6 + [("", None, "Very dissatisfied")] * 5
    for sex, born, answer in people:
        resident = consenting_resident(org)
        EqualityProfile.objects.create(resident=resident, sex=sex, date_of_birth=born)
        services.response_enter(survey=survey, actor=officer, method="paper", values={"q1": answer, "q2": "No"},
                                resident=resident)  # fmt: skip
    manager = make_user(Role.MANAGER, username="manager")
    assert "sex" not in selectors.cross_options(survey=survey, user=officer)
    assert set(selectors.cross_options(survey=survey, user=manager)) >= {"sex", "age", "disability", "ethnicity"}

    by_sex = selectors.results(survey=survey, by="sex")
    assert by_sex.columns == ["Female", "Male", "Not known"]
    q1 = next(r for r in by_sex.questions if r.question.code == "q1").cross[""]
    shown = {column: {c.label: c.count for c in cells} for column, cells in q1.items()}
    percent = {column: {c.label: c.percent for c in cells} for column, cells in q1.items()}
    assert percent["Female"] == {"Very satisfied": 60.0, "Fairly satisfied": 0.0, "Neither": 40.0,
                                 "Fairly dissatisfied": 0.0, "Very dissatisfied": 0.0}  # fmt: skip
    # Two men very dissatisfied is small. So that neither the overall count of that answer nor the
    # men's percentages give it away, the smallest other cell in that answer's row (the "not
    # known" group's 5) and in the men's column (7 neither) are hidden too, and so on until every
    # row and column with a hidden count has another.
    assert shown["Male"]["Very dissatisfied"] is None and shown["Not known"]["Very dissatisfied"] is None
    assert shown["Male"]["Neither"] is None and shown["Male"]["Very satisfied"] == 8
    by_age = selectors.results(survey=survey, by="age")
    assert by_age.columns == ["35 to 54", "65 and over", "Not known"]

    on = datetime.date(2026, 3, 31)
    for born in (datetime.date(1991, 3, 31), datetime.date(1991, 4, 1), datetime.date(1961, 4, 1), None):
        EqualityProfile.objects.filter(resident__survey_responses__survey=survey).update(date_of_birth=born)
        got = set(
            EqualityProfile.objects.filter(resident__survey_responses__survey=survey)
            .annotate(band=age_band_expression("date_of_birth", on))
            .values_list("band", flat=True)
        )
        assert got == {age_band(born, on)}, born  # SQL and Python agree at the birthday boundaries

    client.force_login(officer)
    assert "By sex" not in client.get(reverse("surveys:survey-results", args=[survey.pk])).content.decode()
    ignored = client.get(reverse("surveys:survey-results", args=[survey.pk]), {"by": "sex"})
    assert ignored.context["results"].by == ""
    client.force_login(manager)
    page = client.get(reverse("surveys:survey-results", args=[survey.pk]), {"by": "sex"}).content.decode()
    assert "By sex" in page and "by sex (per cent" in page and "not shown" in page


def test_a_quick_poll_goes_by_text_or_email_and_text_replies_are_counted_once(client, org, officer, settings):
    import json

    from django.utils import timezone

    from surveys.models import InboundText

    with pytest.raises(ValidationError) as caught:
        services.poll_create(organisation=org, actor=officer, question="Which day?", options=["Only one"])
    assert "options" in caught.value.message_dict
    poll = services.poll_create(organisation=org, actor=officer, question="Which evening suits the panel?",
                                options=["Tuesday", "Thursday"])  # fmt: skip
    assert poll.is_open() and poll.closes_on == timezone.localdate()  # results the same day
    texter = consenting_resident(org, involvement_level="armchair", mobile="07700 900123", contact_by_text=True,
                                 preferred_channel="text", email="")  # fmt: skip
    emailer = consenting_resident(org, involvement_level="armchair", email="e@example.org", contact_by_email=True,
                                  preferred_channel="email")  # fmt: skip
    consenting_resident(org, involvement_level="armchair", email="", mobile="", contact_by_post=True)  # post only
    assert services.invitations_send(survey=poll, actor=officer, audience=services.Audience(armchair_only=True)) == 2
    sms = Message.objects.get(to="07700 900123")
    assert "Reply 1 for Tuesday" in sms.body and "Reply 2 for Thursday" in sms.body and "/surveys/answer/" in sms.body
    assert Message.objects.get(to="e@example.org").channel == "email"

    url = reverse("surveys:texts-received")

    def send(body, provider_id, number="+447700900123", token="s3cret-token"):  # noqa: S107  (a test token)
        payload = {"id": provider_id, "source_number": number, "destination_number": "07900000000",
                   "message": body, "date_received": timezone.now().isoformat()}  # fmt: skip
        return client.post(url, json.dumps(payload), content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})  # fmt: skip

    assert send("1", "n-0").status_code == 404  # off until a token is set
    settings.NOTIFY_INBOUND_TOKEN = "s3cret-token"
    assert send("1", "n-0", token="wrong").status_code == 403
    assert client.post(url, "not json", content_type="application/json",
                       headers={"Authorization": "Bearer s3cret-token"}).status_code == 400  # fmt: skip
    assert send("3", "n-1").json() == {"outcome": "not_understood"}
    assert send(" thursday. ", "n-2").json() == {"outcome": "counted"}
    assert send(" thursday. ", "n-2").json() == {"outcome": "counted"}  # Notify retried: still one answer
    assert send("1", "n-3").json() == {"outcome": "already"}
    assert send("1", "n-4", number="07000 111111").json() == {"outcome": "no_poll"}
    assert InboundText.objects.count() == 4  # every text that came in kept, the retried one once
    response = Response.objects.get(survey=poll)
    assert response.method == "text" and response.resident == texter
    q = selectors.results(survey=poll).questions[0]
    assert q.answered == 1 and q.counts[""] == {"Thursday": 1}
    services.survey_close(survey=poll, actor=officer)
    emailer.mobile, emailer.contact_by_text = "07700 900456", True
    emailer.save()
    assert send("2", "n-5", number="07700900456").json() == {"outcome": "closed"}
    client.force_login(officer)
    page = client.get(reverse("surveys:survey-detail", args=[poll.pk])).content.decode()
    assert "Text replies" in page and "Not one of the answers" in page


def test_focus_groups_inform_a_consultation_with_notes_and_themes_shared_with_written_answers(client, org, officer,
                                                                                               other_org):  # fmt: skip
    from opportunities.models import Invitation as OpportunityInvitation
    from opportunities.tests.factories import OpportunityFactory

    survey = repairs_survey(org, officer)
    services.response_enter(survey=survey, actor=officer, method="paper",
                            values={"q1": "Neither", "q2": "No", "q5": "Appointments are always in the morning"})  # fmt: skip
    services.answer_tag(answer=Answer.objects.get(question__code="q5"), actor=officer, themes=["Appointments"])
    event = OpportunityFactory(organisation=org, title="Repairs focus group")
    for i, status in enumerate(["accepted", "accepted", "declined"]):
        OpportunityInvitation.objects.create(organisation=org, opportunity=event, resident=consenting_resident(org),
                                             status=status, attended=i == 0)  # fmt: skip
    with pytest.raises(ValidationError):
        services.focus_group_link(survey=survey, actor=officer, opportunity=OpportunityFactory(organisation=other_org))
    group = services.focus_group_link(survey=survey, actor=officer, opportunity=event)
    assert services.focus_group_link(survey=survey, actor=officer, opportunity=event) == group  # once
    other = repairs_survey(org, officer)
    with pytest.raises(ValidationError, match="another consultation"):
        services.focus_group_link(survey=other, actor=officer, opportunity=event)
    services.focus_group_record(focus_group=group, actor=officer, notes="Morning-only slots are a problem for workers.",
                                themes=["Appointments", "Evening slots"])  # fmt: skip
    counted = selectors.focus_groups(survey=survey).get()
    assert (counted.invited, counted.coming, counted.came) == (3, 2, 1)
    assert selectors.theme_counts(survey=survey) == [("Appointments", 1, 1), ("Evening slots", 0, 1)]
    client.force_login(officer)
    page = client.get(reverse("surveys:survey-results", args=[survey.pk])).content.decode()
    assert "Themes raised" in page and "Evening slots" in page
    detail = client.get(reverse("surveys:survey-detail", args=[survey.pk])).content.decode()
    assert "Repairs focus group" in detail and "1 came" in detail
    saved = client.post(reverse("surveys:focus-group", args=[group.pk]), {"notes": "Updated", "themes": "Appointments"})
    assert saved.status_code == 302 and list(group.themes.values_list("name", flat=True)) == ["Appointments"]


def test_you_said_we_did_entries_are_published_with_the_summary_and_link_to_what_changed(client, org, officer):
    import datetime

    survey = repairs_survey(org, officer)
    with pytest.raises(ValidationError) as caught:
        services.change_record(survey=survey, actor=officer, you_said="x", we_did="y", link="javascript:alert(1)")
    assert "link" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        services.change_record(survey=survey, actor=officer, you_said="", we_did="",
                               done_on=datetime.date.today() + datetime.timedelta(days=9))  # fmt: skip
    assert set(caught.value.message_dict) == {"you_said", "we_did", "done_on"}
    services.change_record(survey=survey, actor=officer, you_said="Appointments are only in the morning",
                           we_did="Evening and Saturday appointments", done_on=datetime.date(2026, 9, 1),
                           link="/local-offer/riverside/", link_text="Our repairs promises")  # fmt: skip
    services.change_record(survey=survey, actor=officer, you_said="Texts before the operative comes",
                           we_did="A text the day before, from January")  # fmt: skip
    client.force_login(officer)
    added = client.post(reverse("surveys:changes", args=[survey.pk]),
                        {"you_said": "More", "we_did": "Done", "done_on": "", "link": "", "link_text": "",
                         "submission_key": "once"})  # fmt: skip
    client.post(reverse("surveys:changes", args=[survey.pk]),
                {"you_said": "More", "we_did": "Done", "done_on": "", "link": "", "link_text": "",
                 "submission_key": "once"})  # fmt: skip
    assert added.status_code == 302 and survey.changes.count() == 3  # the double submit made one
    services.survey_close(survey=survey, actor=officer)
    services.summary_publish(survey=survey, actor=officer, summary="Thank you: 40 of you answered.")
    page = client.get(reverse("surveys:published-list", args=[org.slug])).content.decode()
    assert "You said: Appointments are only in the morning" in page and "We did: Evening and Saturday" in page
    assert 'href="/local-offer/riverside/">Our repairs promises' in page and "We will: A text the day before" in page
