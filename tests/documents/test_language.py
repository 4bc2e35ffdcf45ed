"""Document errors speak French by default and English on request; their codes never change."""

import pytest
from rest_framework.test import APIClient

from tests.documents.conftest import upload

pytestmark = pytest.mark.django_db


def test_a_missing_target_is_french_by_default_and_english_on_request(make_client):
    api = make_client("manager")

    french = upload(api, {})
    english = upload(api, {}, HTTP_ACCEPT_LANGUAGE="en")

    assert french.json()["errors"]["client"] == ["Indiquez exactement un client, un équipement ou une intervention."]
    assert english.json()["errors"]["client"] == ["Give exactly one of client, equipment and intervention."]


def test_an_invalid_download_link_is_explained_in_both_languages(make_document):
    url = f"/api/v1/documents/{make_document()['id']}/download/?signature=forged"

    french = APIClient().get(url)
    english = APIClient().get(url, HTTP_ACCEPT_LANGUAGE="en")

    assert french.json()["code"] == english.json()["code"] == "permission_denied"
    assert french.json()["detail"] == "Ce lien de téléchargement est invalide ou a expiré."
    assert english.json()["detail"] == "This download link is invalid or has expired."
