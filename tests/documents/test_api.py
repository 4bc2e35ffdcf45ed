"""The documents API: rights, the representation, kind changes, deletion and the list."""

import hashlib
import re
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import Document
from tests.clients.factories import ClientFactory
from tests.documents import samples
from tests.documents.conftest import DOCUMENT, DOCUMENTS, DOWNLOAD, LIMITS, stored_files, upload
from tests.equipment.factories import EquipmentFactory
from tests.helpers import assert_envelope, assert_status, contract_fields, result_ids, validation_errors
from tests.interventions.factories import InterventionFactory
from tests.rbac import ANONYMOUS, Endpoint, call, rbac_cases

pytestmark = pytest.mark.django_db

ENDPOINTS = {
    "list": Endpoint("get", DOCUMENTS, 200),
    "retrieve": Endpoint("get", DOCUMENT, 200),
    "create": Endpoint("post", DOCUMENTS, 201, format="multipart"),
    "partial_update": Endpoint("patch", DOCUMENT, 200),
    "destroy": Endpoint("delete", DOCUMENT, 204),
    "download": Endpoint("get", DOWNLOAD, 200),
    "limits": Endpoint("get", LIMITS, 200),
}


# ------------------------------------------------------------------------------
# Rights
# ------------------------------------------------------------------------------
@pytest.mark.parametrize(("role", "action", "expected"), rbac_cases("document", ENDPOINTS))
def test_rbac(role, action, expected, make_client, api_client, technician, own_intervention, make_document):
    """Each role on a document it may see: a technician's is one of his own intervention."""
    document = make_document(intervention=own_intervention.pk)
    if role == ANONYMOUS:
        caller = api_client
    else:
        caller = make_client(user=technician.user) if role == "technician" else make_client(role)
    bodies = {
        "create": lambda: {"file": SimpleUploadedFile("photo.png", samples.PNG), "intervention": own_intervention.pk},
        "partial_update": lambda: {"kind": "report"},
    }

    response = call(caller, ENDPOINTS[action], pk=document["id"], body=bodies.get(action))

    assert_status(response, expected)


def test_a_technician_lists_the_documents_of_his_interventions_only(make_client, technician, make_document):
    own = make_document(intervention=InterventionFactory(technicians=[technician]).pk)
    make_document(intervention=InterventionFactory().pk)
    make_document(client=ClientFactory().pk)
    make_document(equipment=EquipmentFactory().pk)

    assert result_ids(make_client(user=technician.user).get(DOCUMENTS)) == [own["id"]]


def test_a_document_of_another_intervention_cannot_be_downloaded_by_a_technician(
    make_client, technician, make_document
):
    other = make_document(intervention=InterventionFactory().pk)

    response = make_client(user=technician.user).get(DOWNLOAD.format(pk=other["id"]))

    assert_envelope(response, 404, "not_found")


def test_a_technician_cannot_upload_to_an_intervention_he_is_not_on(make_client, technician):
    response = upload(make_client(user=technician.user), {"intervention": InterventionFactory().pk})

    assert_envelope(response, 404, "not_found")
    assert not Document.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize("target", ["client", "equipment"])
def test_a_technician_cannot_upload_to_a_client_or_equipment(target, make_client, technician):
    record = {"client": ClientFactory, "equipment": EquipmentFactory}[target]()

    response = upload(make_client(user=technician.user), {target: record.pk})

    assert_envelope(response, 403, "permission_denied")
    assert not Document.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize("role", ["admin", "manager"])
@pytest.mark.parametrize("target", ["client", "equipment", "intervention"])
def test_managers_upload_to_any_target(role, target, make_client):
    record = {"client": ClientFactory, "equipment": EquipmentFactory, "intervention": InterventionFactory}[target]()

    response = upload(make_client(role), {target: record.pk})

    assert response.status_code == 201, response.content
    assert response.json()[target] == record.pk
    assert Document.objects.get().target == record


def test_an_unknown_target_is_not_found(make_client):
    response = upload(make_client("admin"), {"client": 999999})

    assert_envelope(response, 404, "not_found")
    assert stored_files() == []


# ------------------------------------------------------------------------------
# The representation
# ------------------------------------------------------------------------------
def test_upload_answers_with_the_contract_representation(make_client):
    api = make_client("manager", first_name="Salma", last_name="Bennani")
    intervention = InterventionFactory()

    response = upload(api, {"intervention": intervention.pk, "kind": "report"}, filename="Rapport.pdf")

    assert response.status_code == 201, response.content
    data = response.json()
    assert list(data) == contract_fields("document")
    assert data["name"] == "Rapport.pdf"
    assert data["kind"] == "report"
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(samples.PDF)
    assert data["sha256"] == hashlib.sha256(samples.PDF).hexdigest()
    assert data["intervention"] == intervention.pk
    assert data["client"] is None
    assert data["equipment"] is None
    assert data["uploaded_by"] == api.user.pk
    assert data["uploaded_by_name"] == "Salma Bennani"
    assert re.fullmatch(
        rf"http://testserver/api/v1/documents/{data['id']}/download/\?signature=[\w%-]+", data["download_url"]
    )
    assert response["ETag"] == api.get(DOCUMENT.format(pk=data["id"]))["ETag"]


def test_the_file_is_stored_under_a_random_dated_key(make_client):
    upload(make_client("manager"), {"client": ClientFactory().pk}, filename="../../etc/passwd.pdf")

    document = Document.objects.get()
    assert re.fullmatch(r"documents/\d{4}/\d{2}/\d{2}/[0-9a-f]{32}", document.storage_name)
    assert [path.read_bytes() for path in stored_files()] == [samples.PDF]


def test_kind_defaults_to_other_and_system_fields_cannot_be_set(make_client):
    forged = {
        "client": ClientFactory().pk,
        "name": "forged.exe",
        "content_type": "text/html",
        "size": 1,
        "sha256": "0" * 64,
        "uploaded_by": 999,
        "uploaded_by_name": "Quelqu'un",
    }

    data = upload(make_client("admin"), forged, filename="devis.pdf").json()

    assert data["kind"] == "other"
    assert data["name"] == "devis.pdf"
    assert data["content_type"] == "application/pdf"
    assert data["size"] == len(samples.PDF)
    assert data["sha256"] == hashlib.sha256(samples.PDF).hexdigest()
    assert data["uploaded_by"] != 999
    assert data["uploaded_by_name"] != "Quelqu'un"


def test_download_url_is_minted_on_every_read(make_client, make_document):
    api = make_client("viewer")
    document = make_document()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        first = api.get(DOCUMENT.format(pk=document["id"]))
        clock.shift(timedelta(seconds=2))
        second = api.get(DOCUMENT.format(pk=document["id"]))

    assert first.json()["download_url"] != second.json()["download_url"]
    assert first["ETag"] == second["ETag"], "the ETag follows the record, not the link"


def test_uploaded_by_name_is_empty_once_the_uploader_is_gone(make_client, make_document):
    uploader = make_client("manager")
    document = make_document(uploader)
    uploader.user.delete()

    data = make_client("viewer").get(DOCUMENT.format(pk=document["id"])).json()

    assert data["uploaded_by"] is None
    assert data["uploaded_by_name"] == ""


# ------------------------------------------------------------------------------
# Kind changes, no PUT, deletion
# ------------------------------------------------------------------------------
def test_patch_changes_the_kind_only(make_client, make_document):
    document = make_document()

    response = make_client("manager").patch(
        DOCUMENT.format(pk=document["id"]), {"kind": "invoice", "name": "autre.pdf", "size": 1}, format="json"
    )

    assert response.status_code == 200, response.content
    assert response.json()["kind"] == "invoice"
    assert response.json()["name"] == document["name"]
    assert response.json()["size"] == document["size"]
    assert response["ETag"]
    assert Document.objects.get().kind == "invoice"


def test_patch_refuses_an_unknown_kind(make_client, make_document):
    document = make_document()

    response = make_client("manager").patch(DOCUMENT.format(pk=document["id"]), {"kind": "secret"}, format="json")

    assert "kind" in validation_errors(response)


def test_patch_honours_if_match_despite_the_fresh_download_url(make_client, make_document):
    api = make_client("manager")
    document = make_document()
    url = DOCUMENT.format(pk=document["id"])
    with time_machine.travel(timezone.now(), tick=False) as clock:
        etag = api.get(url)["ETag"]
        clock.shift(timedelta(seconds=5))
        accepted = api.patch(url, {"kind": "photo"}, format="json", HTTP_IF_MATCH=etag)
        stale = api.patch(url, {"kind": "manual"}, format="json", HTTP_IF_MATCH=etag)

    assert accepted.status_code == 200, accepted.content
    assert_envelope(stale, 412, "precondition_failed")
    assert Document.objects.get().kind == "photo"


def test_put_is_not_allowed(make_client, make_document):
    document = make_document()

    response = make_client("admin").put(DOCUMENT.format(pk=document["id"]), {"kind": "report"}, format="json")

    assert_envelope(response, 405, "method_not_allowed")


def test_delete_removes_the_row_and_the_file(make_client, make_document, django_capture_on_commit_callbacks):
    document = make_document()
    assert len(stored_files()) == 1

    with django_capture_on_commit_callbacks(execute=True):
        response = make_client("manager").delete(DOCUMENT.format(pk=document["id"]))

    assert response.status_code == 204
    assert not Document.objects.exists()
    assert stored_files() == []


def test_a_target_with_documents_cannot_be_deleted(make_client, make_document):
    client = ClientFactory()
    make_document(client=client.pk)

    response = make_client("admin").delete(f"/api/v1/clients/{client.pk}/")

    assert_envelope(response, 409, "protected")
    assert Document.objects.exists()


# ------------------------------------------------------------------------------
# The list
# ------------------------------------------------------------------------------
def test_list_filters_by_target_and_kind(make_client, make_document):
    client, equipment, intervention = ClientFactory(), EquipmentFactory(), InterventionFactory()
    on_client = make_document(client=client.pk, kind="contract")
    on_equipment = make_document(equipment=equipment.pk, kind="manual")
    on_intervention = make_document(intervention=intervention.pk, kind="photo")
    api = make_client("viewer")

    assert result_ids(api.get(DOCUMENTS, {"client": client.pk})) == [on_client["id"]]
    assert result_ids(api.get(DOCUMENTS, {"equipment": equipment.pk})) == [on_equipment["id"]]
    assert result_ids(api.get(DOCUMENTS, {"intervention": intervention.pk})) == [on_intervention["id"]]
    assert sorted(result_ids(api.get(DOCUMENTS + "?kind=contract&kind=photo"))) == sorted(
        [on_client["id"], on_intervention["id"]]
    )


def test_list_searches_names_and_orders(make_client, make_document):
    big = make_document(filename="zeta rapport.pdf", content=samples.PDF + b"%" * 100)
    small = make_document(filename="alpha.png", content=samples.PNG)
    api = make_client("viewer")

    assert result_ids(api.get(DOCUMENTS, {"search": "RAPPORT"})) == [big["id"]]
    assert result_ids(api.get(DOCUMENTS)) == [small["id"], big["id"]], "newest first"
    assert result_ids(api.get(DOCUMENTS, {"ordering": "name"})) == [small["id"], big["id"]]
    assert result_ids(api.get(DOCUMENTS, {"ordering": "-size"})) == [big["id"], small["id"]]
    assert result_ids(api.get(DOCUMENTS, {"ordering": "created_at"})) == [big["id"], small["id"]]


def test_list_is_paginated(make_client, make_document):
    for _ in range(3):
        make_document()

    body = make_client("viewer").get(DOCUMENTS, {"page_size": 2}).json()

    assert set(body) == {"count", "next", "previous", "results"}
    assert body["count"] == 3
    assert len(body["results"]) == 2


def test_limits(make_client, settings):
    settings.UPLOAD_MAX_BYTES = 4096

    response = make_client("technician").get(LIMITS)

    assert response.status_code == 200
    assert response.json() == {
        "max_bytes": 4096,
        "allowed_types": [
            "application/pdf",
            "image/jpeg",
            "image/png",
            "image/webp",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "text/csv",
        ],
    }
