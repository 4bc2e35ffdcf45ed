"""ETag on single-record responses and If-Match on updates (optimistic concurrency)."""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder

from erp_mif.core.errors import ApplicationError


def etag_for(representation) -> str:
    """A strong validator of a serialized record: it changes whenever any field of it changes."""
    payload = json.dumps(representation, cls=DjangoJSONEncoder, sort_keys=True, separators=(",", ":"))
    return '"' + hashlib.sha256(payload.encode()).hexdigest()[:32] + '"'


def _opaque(tag: str) -> str:
    tag = tag.strip()
    return tag[2:] if tag.startswith("W/") else tag


def check_if_match(header: str | None, current_etag: str) -> None:
    """Raise 412 precondition_failed unless If-Match is absent, `*`, or names the current version.

    The W/ prefix is ignored: compressing proxies weaken tags without changing the record.
    """
    if not header or header.strip() == "*":
        return
    if _opaque(current_etag) not in {_opaque(tag) for tag in header.split(",")}:
        raise ApplicationError("precondition_failed", status_code=412)
