"""Idempotency-Key on POST: the same key from the same user within 24 h replays the first success.

The record is inserted at the start of the request, inside the request's transaction: a concurrent
duplicate blocks on the unique (user, key) index until the first commits, then replays its answer.
A failed request rolls back its record with everything else, so the key can be retried.
"""

import hashlib
import json

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from rest_framework.response import Response

from erp_mif.core.errors import ApplicationError, invalid
from erp_mif.core.files import sha256_of
from erp_mif.core.models import IdempotencyRecord

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255


class Replay(Exception):  # noqa: N818 - a signal, not an error
    """Raised to short-circuit a request whose key was already answered."""

    def __init__(self, record: IdempotencyRecord):
        self.record = record

    def response(self) -> Response:
        headers = {"Idempotent-Replayed": "true"}
        if self.record.response_etag:
            headers["ETag"] = self.record.response_etag
        return Response(self.record.response_body, status=self.record.response_status, headers=headers)


def fingerprint(request) -> str:
    """What makes two requests "the same": method, path, JSON or form fields, and file digests."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    files = {name: sha256_of(uploaded) for name, uploaded in request.FILES.items()}
    data = request.data
    fields = {key: data.getlist(key) for key in data if key not in files} if hasattr(data, "getlist") else data
    digest.update(json.dumps({"data": fields, "files": files}, sort_keys=True, default=str).encode())
    return digest.hexdigest()


def begin(request, key: str) -> IdempotencyRecord:
    """Claim `key` for this request, or raise Replay / 422 when it was used before."""
    if len(key) > MAX_KEY_LENGTH:
        raise invalid({HEADER: [f"At most {MAX_KEY_LENGTH} characters."]})
    print_ = fingerprint(request)
    try:
        with transaction.atomic():
            return IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=print_)
    except IntegrityError:
        pass
    record = IdempotencyRecord.objects.select_for_update().get(user=request.user, key=key)
    if record.created_at < timezone.now() - settings.IDEMPOTENCY_TTL:
        record.delete()
        return IdempotencyRecord.objects.create(user=request.user, key=key, fingerprint=print_)
    if record.fingerprint != print_:
        raise ApplicationError("idempotency_key_mismatch", status_code=422)
    raise Replay(record)


def finish(record: IdempotencyRecord, response) -> None:
    """Keep a successful answer for replay; forget the key (roll back) after a failure."""
    if 200 <= response.status_code < 300:
        record.response_status = response.status_code
        record.response_body = response.data
        record.response_etag = response.get("ETag", "")
        record.save(update_fields=["response_status", "response_body", "response_etag"])
    else:
        transaction.set_rollback(True)
