import factory

from erp_mif.accounts.choices import Role
from technicians.models import Skill, Technician
from tests.accounts.factories import UserFactory


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"compétence {n}")


class TechnicianFactory(factory.django.DjangoModelFactory):
    """A technician and his user (role technician, password tests.accounts.factories.PASSWORD).

    `skills` takes Skill objects or names: TechnicianFactory(skills=["froid", "électricité"]).
    """

    class Meta:
        model = Technician
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory, role=Role.TECHNICIAN)
    employee_code = factory.Sequence(lambda n: f"T{n:04d}")
    zone = "Casablanca"

    @factory.post_generation
    def skills(self, create, extracted, **kwargs):
        if create and extracted:
            self.skills.set(skill if isinstance(skill, Skill) else SkillFactory(name=skill) for skill in extracted)


def technician_profile(user) -> Technician:
    """`user`'s technician profile, made on first use."""
    return Technician.objects.filter(user=user).first() or TechnicianFactory(user=user)
