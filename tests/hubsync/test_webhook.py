import json

import pytest

from tests.showcase.factories import HubModelFactory

pytestmark = pytest.mark.django_db

SECRET = "s3cret-webhook-value"
PAYLOAD = {
    "event": {"action": "update", "scope": "repo.content"},
    "repo": {"type": "model", "name": "alice/tiny-gpt", "id": "6560b7d5a1", "private": False,
             "headSha": "c0ffee" * 6 + "beef"},
    "updatedRefs": [{"ref": "refs/heads/main", "oldSha": "a" * 40, "newSha": "c0ffee" * 6 + "beef"}],
    "webhook": {"id": "6560b7d5", "version": 3},
}


@pytest.fixture(autouse=True)
def secret(settings):
    settings.HUB_WEBHOOK_SECRET = SECRET


def post(client, body, secret=SECRET):
    headers = {"X-Webhook-Secret": secret} if secret is not None else {}
    raw = body if isinstance(body, str) else json.dumps(body)
    return client.post("/hooks/hub", raw, content_type="application/json", headers=headers)


def test_the_right_secret_queues_a_resync_of_a_linked_repository_and_answers_at_once(
        client, published, django_capture_on_commit_callbacks):
    HubModelFactory(repo_id="alice/tiny-gpt")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, PAYLOAD)

    assert response.status_code == 202 and response.json()["status"] == "queued"
    assert published == [{"task": "hubsync.sync_repo", "args": ["model", "alice/tiny-gpt"], "eta": None}]


def test_a_repository_no_project_links_is_acknowledged_and_ignored(client, published,
                                                                    django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, PAYLOAD)

    assert response.status_code == 202 and response.json()["status"] == "ignored"
    assert published == []


def test_a_missing_secret_is_401(client, published):
    response = post(client, PAYLOAD, secret=None)

    assert response.status_code == 401 and response.json()["error"] == "unauthorized"


def test_a_wrong_secret_is_403_and_queues_nothing(client, published, django_capture_on_commit_callbacks):
    HubModelFactory(repo_id="alice/tiny-gpt")

    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, PAYLOAD, secret=SECRET + "x")

    assert response.status_code == 403 and response.json()["error"] == "forbidden"
    assert published == []


def test_without_a_configured_secret_every_call_is_refused(client, settings):
    settings.HUB_WEBHOOK_SECRET = ""

    assert post(client, PAYLOAD, secret="").status_code == 401
    assert post(client, PAYLOAD, secret="anything").status_code == 403


@pytest.mark.parametrize("body", ["{not json", "[]", '{"repo": {"type": "model"}}',
                                  '{"repo": {"type": "x", "name": "a/b"}}'])
def test_malformed_payloads_are_400_json(client, body):
    response = post(client, body)

    assert response.status_code == 400
    assert response.json()["error"] == "invalid" and response.json()["detail"]


def test_the_webhook_needs_no_csrf_token(settings):
    from django.test import Client

    response = post(Client(enforce_csrf_checks=True), PAYLOAD)

    assert response.status_code == 202
