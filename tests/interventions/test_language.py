"""Intervention errors speak French by default and English on request; their codes never change."""

import pytest

pytestmark = pytest.mark.django_db

URL = "/api/v1/interventions/"
START = URL + "{pk}/start/"


def test_a_refused_transition_is_french_by_default_and_english_on_request(make_client, make_intervention):
    api = make_client("manager")
    intervention = make_intervention()  # new: it cannot start before being scheduled

    french = api.post(START.format(pk=intervention.pk))
    english = api.post(START.format(pk=intervention.pk), HTTP_ACCEPT_LANGUAGE="en")

    assert (french.status_code, english.status_code) == (409, 409)
    assert french.json()["code"] == english.json()["code"] == "invalid_transition"
    assert french.json()["detail"] == "Impossible d'effectuer l'action « start » : l'intervention est nouvelle."
    assert english.json()["detail"] == "Cannot start an intervention that is new."


def test_field_errors_of_the_serializers_follow_the_language(make_client, client_record):
    api = make_client("manager")
    payload = {
        "title": "Fuite d'huile",
        "client": client_record.pk,
        "scheduled_start": "2030-01-01T10:00:00+01:00",
        "scheduled_end": "2030-01-01T09:00:00+01:00",
    }

    french = api.post(URL, payload, format="json")
    english = api.post(URL, payload, format="json", HTTP_ACCEPT_LANGUAGE="en")

    assert french.json()["code"] == english.json()["code"] == "validation_error"
    assert french.json()["errors"]["scheduled_end"] == ["La fin doit être postérieure au début."]
    assert english.json()["errors"]["scheduled_end"] == ["The end must be after the start."]
