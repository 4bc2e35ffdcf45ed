"""`manage.py validate_contract`: list every gap between the API and the frontend contract."""

import json
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from drf_spectacular.generators import SchemaGenerator

from erp_mif.tooling.contract import check_contract, parse_groups

CONTRACT = Path(settings.BASE_DIR) / "contract" / "frontend_contract.json"


def load_openapi(path: Path) -> dict:
    """An OpenAPI document saved as JSON or YAML (`manage.py spectacular` writes YAML by default)."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc}") from exc
    return json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)


class Command(BaseCommand):
    help = "Check the API's OpenAPI document against contract/frontend_contract.json; exit 1 when a gap is found."

    def add_arguments(self, parser):
        parser.add_argument("--openapi", metavar="FILE", help="read this OpenAPI document instead of generating it")
        parser.add_argument("--only", metavar="GROUPS", help="comma-separated groups, e.g. auth,users,health")

    def handle(self, *args, openapi=None, only=None, **options):
        try:
            groups = parse_groups(only) if only else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        contract = json.loads(CONTRACT.read_text(encoding="utf-8"))
        document = load_openapi(Path(openapi)) if openapi else SchemaGenerator().get_schema(request=None, public=True)

        gaps, checked = check_contract(contract, document, groups)
        for gap in gaps:
            self.stdout.write(str(gap))
        if gaps:
            raise CommandError(f"{len(gaps)} gaps in {checked} endpoints checked")
        self.stdout.write(self.style.SUCCESS(f"no gap: 0 gaps in {checked} endpoints checked"))
