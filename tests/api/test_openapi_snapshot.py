from pathlib import Path

from django.core.management import call_command

SNAPSHOT = Path(__file__).resolve().parents[2] / "openapi.yaml"


def test_committed_openapi_snapshot_matches_the_code(tmp_path):
    """API changes are deliberate: regenerate the snapshot with `make schema` and commit it."""
    generated = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--lang", "en", "--file", str(generated))

    assert generated.read_text() == SNAPSHOT.read_text(), "openapi.yaml is stale: run `make schema`"
