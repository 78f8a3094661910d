"""The demo landlord's TSM perception survey: drawn, answered, weighted, published, in the return."""

from __future__ import annotations

import pytest

from accounts.models import User
from people.demo import build_demo, delete_demo
from perception.models import PerceptionSurvey
from tsm.returns import tsm_return

pytestmark = pytest.mark.django_db


def test_demo_survey_is_published_and_feeds_the_return_and_rebuilds(client):
    build_demo(residents=1500, seed=5)
    perception = PerceptionSurvey.objects.get()
    assert perception.published_at is not None and perception.exclusions.count() == 4
    lcra = perception.populations.get(stock="lcra")
    assert lcra.seed == perception.year_starting and lcra.drawn and lcra.survey.status == "closed"
    published = perception.published_results["populations"][0]
    assert published["achieved"] > 0 and published["weighting"] == "area"
    ret = tsm_return(organisation=perception.organisation, year_starting=perception.year_starting)
    tp01 = next(line for line in ret.perception if line.code == "TP01" and line.stock == "lcra")
    assert tp01.shown is not None and "published" in tp01.source
    client.force_login(User.objects.get(username="officer"))
    assert client.get(f"/staff/tenant-satisfaction/{perception.pk}/results/").status_code == 200
    page = client.get(f"/tenant-satisfaction/{perception.organisation.slug}/").content.decode()
    assert "TP01 Overall satisfaction" in page and "Northern Research Partnership" in page
    first = sorted((a["label"], a["frame"], a["drawn"]) for a in lcra.allocation)

    delete_demo()
    assert not PerceptionSurvey.objects.exists()
    build_demo(residents=1500, seed=5)
    again = PerceptionSurvey.objects.get().populations.get(stock="lcra")
    # The same design (the residents have new ids, so who is drawn may differ).
    assert sorted((a["label"], a["frame"], a["drawn"]) for a in again.allocation) == first
