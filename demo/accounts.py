from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User

# The contract's test accounts (contract.test_accounts), with a name each for the screens.
DEMO_ACCOUNTS = [
    ("admin@mif.ma", Role.ADMIN, "Amina", "El Idrissi"),
    ("manager@mif.ma", Role.MANAGER, "Youssef", "Benjelloun"),
    ("technicien@mif.ma", Role.TECHNICIAN, "Hamza", "Ouazzani"),
    ("user@mif.ma", Role.VIEWER, "Salma", "Tazi"),
]


def seed_accounts(*, password: str) -> dict[str, User]:
    """Create or reset the demo accounts; running it again leaves exactly one of each."""
    users = {}
    for email, role, first_name, last_name in DEMO_ACCOUNTS:
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={"role": role, "first_name": first_name, "last_name": last_name, "is_active": True},
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        users[role] = user
    return users
