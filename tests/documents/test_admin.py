import pytest
from django.test import Client as Browser

from documents.models import Document
from tests.accounts.factories import UserFactory
from tests.clients.factories import ClientFactory
from tests.documents.conftest import stored_files

pytestmark = pytest.mark.django_db

DOCUMENTS = "/admin/documents/document/"
# session, user, the sidebar's Django permissions (2), page count, page, the content type filter's
# values: whatever the number of rows.
CHANGELIST_QUERIES = 7


@pytest.fixture
def browser():
    """The back office, signed in as a manager."""
    browser = Browser()
    browser.force_login(UserFactory(role="manager"))
    return browser


@pytest.mark.parametrize("rows", [2, 6])
def test_changelist_shows_targets_in_bounded_queries(rows, browser, make_document, django_assert_max_num_queries):
    for _ in range(rows):
        make_document(client=ClientFactory(name="Atlas Froid").pk)

    with django_assert_max_num_queries(CHANGELIST_QUERIES):
        response = browser.get(DOCUMENTS)

    assert response.status_code == 200
    assert response.content.decode().count("Atlas Froid") == rows


def test_changelist_search_by_name_and_sha256(browser, make_document):
    report = make_document(filename="rapport.pdf")
    make_document(filename="photo.png", content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)

    by_name = browser.get(DOCUMENTS, {"q": "rapport"}).content.decode()
    by_digest = browser.get(DOCUMENTS, {"q": report["sha256"]}).content.decode()

    for page in (by_name, by_digest):
        assert "rapport.pdf" in page
        assert "photo.png" not in page


def test_only_the_kind_can_be_changed(browser, make_document):
    document = make_document(filename="rapport.pdf")

    response = browser.post(
        f"{DOCUMENTS}{document['id']}/change/", {"kind": "invoice", "name": "autre.exe", "size": "1"}
    )

    assert response.status_code == 302, response.content
    saved = Document.objects.get()
    assert saved.kind == "invoice"
    assert saved.name == "rapport.pdf"
    assert saved.size == document["size"]


def test_the_change_form_links_to_a_signed_download(browser, make_document):
    document = make_document()

    page = browser.get(f"{DOCUMENTS}{document['id']}/change/").content.decode()

    assert f"/api/v1/documents/{document['id']}/download/?signature=" in page


def test_documents_are_not_added_in_the_admin(browser):
    assert browser.get(f"{DOCUMENTS}add/").status_code == 403


def test_delete_removes_the_file(browser, make_document, django_capture_on_commit_callbacks):
    document = make_document()

    with django_capture_on_commit_callbacks(execute=True):
        response = browser.post(f"{DOCUMENTS}{document['id']}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Document.objects.exists()
    assert stored_files() == []


def test_bulk_delete_removes_the_files(browser, make_document, django_capture_on_commit_callbacks):
    ids = [make_document()["id"] for _ in range(2)]

    with django_capture_on_commit_callbacks(execute=True):
        browser.post(DOCUMENTS, {"action": "delete_selected", "_selected_action": ids, "post": "yes"})

    assert not Document.objects.exists()
    assert stored_files() == []


@pytest.mark.parametrize("role", ["technician", "viewer"])
def test_other_roles_have_no_back_office(role):
    browser = Browser()
    browser.force_login(UserFactory(role=role))

    assert browser.get(DOCUMENTS).status_code == 302  # to the login page
