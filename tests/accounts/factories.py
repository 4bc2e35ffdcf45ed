import factory

from erp_mif.accounts.choices import Role
from erp_mif.accounts.models import User

PASSWORD = "S3cure-Pa55word!"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@mif.ma")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    role = Role.VIEWER
    password = factory.django.Password(PASSWORD)
