from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from people.tests.factories import ResidentFactory
from resources.models import TrainingCourse, TrainingRecord
from resources.services import training_record_add


@pytest.fixture
def course(org):
    return TrainingCourse.objects.create(organisation=org, code="mystery-shopping", name="Mystery shopping")


@pytest.mark.django_db
def test_training_is_recorded_once_and_lapses_when_the_course_says(org, officer, course):
    resident = ResidentFactory(organisation=org)
    first = training_record_add(
        resident=resident, course=course, completed_on=datetime.date(2026, 1, 31), actor=officer
    )
    again = training_record_add(
        resident=resident, course=course, completed_on=datetime.date(2026, 1, 31), actor=officer
    )
    assert first.pk == again.pk and first.expires_on is None
    safeguarding = TrainingCourse.objects.create(
        organisation=org, code="safe", name="Safeguarding", valid_for_months=13
    )
    record = training_record_add(
        resident=resident, course=safeguarding, completed_on=datetime.date(2026, 1, 31), actor=officer
    )
    assert record.expires_on == datetime.date(2027, 2, 28), "the end of a shorter month"
    assert set(TrainingRecord.objects.current(datetime.date(2027, 3, 1))) == {first}


@pytest.mark.django_db
def test_bad_training_records_are_refused(org, other_org, officer, make_user, course):
    resident = ResidentFactory(organisation=org)
    with pytest.raises(ValidationError, match="past"):
        training_record_add(resident=resident, course=course, completed_on=datetime.date(2100, 1, 1), actor=officer)
    elsewhere = TrainingCourse.objects.create(organisation=other_org, code="x", name="X")
    with pytest.raises(ValidationError, match="another landlord"):
        training_record_add(resident=resident, course=elsewhere, completed_on=datetime.date(2026, 1, 1), actor=officer)
    with pytest.raises(PermissionDenied):
        training_record_add(
            resident=resident,
            course=course,
            completed_on=datetime.date(2026, 1, 1),
            actor=make_user(Role.INVOLVED_RESIDENT, username="not-staff"),
        )
    assert TrainingRecord.objects.count() == 0
