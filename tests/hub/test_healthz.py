import json

import pytest
from django.test import override_settings
from django.urls import reverse


@pytest.mark.django_db
def test_healthz_reports_every_component_ok(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {
        "status": "ok",
        "checks": {"database": "ok", "channel_layer": "ok", "search": "ok"},
    }


@pytest.mark.django_db
def test_healthz_names_an_unreachable_channel_layer_with_503(client):
    unreachable = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    with override_settings(CHANNEL_LAYERS=unreachable):
        from channels.layers import channel_layers

        channel_layers.backends.clear()
        try:
            response = client.get(reverse("healthz"))
        finally:
            channel_layers.backends.clear()
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["failing"] == ["channel_layer"]
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_healthz_names_an_unreachable_search_backend_with_503(client):
    with override_settings(
        SEARCH_BACKEND="search.backends.elasticsearch", ELASTICSEARCH_URL="http://127.0.0.1:1"
    ):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert json.loads(response.content)["failing"] == ["search"]


def test_healthz_needs_no_sign_in(client, db):
    assert client.get(reverse("healthz")).status_code == 200
