import pytest
from django.core.management import call_command

from meetup.program import selectors
from meetup.program.models import Application, Call

pytestmark = pytest.mark.django_db


def test_seed_demo_loads_a_judged_call_and_an_open_one_once(client):
    call_command("seed_demo", attendees=40, stdout=open("/dev/null", "w"))
    call_command("seed_demo", attendees=40, stdout=open("/dev/null", "w"))

    spring = Call.objects.get(slug="accelerator-spring")
    assert Call.objects.count() == 2
    assert spring.applications.filter(status=Application.Status.SUBMITTED).count() == 8
    ranking = selectors.ranking(spring)
    assert any(row.tied for row in ranking.rows)
    assert any(row.missing for row in ranking.rows)
    assert client.login(username="judge@meetup.localhost", password="open-models-2026")
    assert client.get("/program/accelerator-spring/judging/").status_code == 200
    client.login(username="organiser@meetup.localhost", password="open-models-2026")
    page = client.get("/program/accelerator-spring/manage/").content.decode()
    assert "Caption Cloud" in page and "tie" in page
