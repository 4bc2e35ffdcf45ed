import pytest
from django.core.management import CommandError, call_command

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User

pytestmark = pytest.mark.django_db

CONTRACT_ACCOUNTS = {
    "admin@mif.ma": Role.ADMIN,
    "manager@mif.ma": Role.MANAGER,
    "technicien@mif.ma": Role.TECHNICIAN,
    "user@mif.ma": Role.VIEWER,
}


def test_seed_demo_creates_the_contract_accounts_with_the_given_password():
    call_command("seed_demo", "--password", "Another-Pa55!")

    for email, role in CONTRACT_ACCOUNTS.items():
        user = User.objects.get(email=email)
        assert user.role == role
        assert user.check_password("Another-Pa55!")


def test_seed_demo_reads_the_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "From-The-Env-42")
    call_command("seed_demo")

    assert User.objects.get(email="admin@mif.ma").check_password("From-The-Env-42")


def test_seed_demo_twice_keeps_one_account_each():
    call_command("seed_demo")
    call_command("seed_demo")

    assert User.objects.filter(email__in=CONTRACT_ACCOUNTS).count() == len(CONTRACT_ACCOUNTS)


def test_seed_demo_refuses_production_settings_unless_forced(settings):
    settings.ENVIRONMENT = "production"

    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.exists()

    call_command("seed_demo", "--force")
    assert User.objects.filter(email__in=CONTRACT_ACCOUNTS).count() == len(CONTRACT_ACCOUNTS)
