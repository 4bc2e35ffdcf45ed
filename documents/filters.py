from django_filters import rest_framework as filters

from erp_mif.api.filters import FilterSet, MultipleChoiceFilter

from .choices import DocumentKind
from .models import Document


class DocumentFilterSet(FilterSet):
    # ?kind=report&kind=photo selects either.
    kind = MultipleChoiceFilter(choices=DocumentKind.choices)
    # Plain ids, not lookups of the target: an id the caller cannot see filters to nothing, exactly like
    # one that does not exist (a lookup would answer 400 for one and not the other).
    client = filters.NumberFilter()
    equipment = filters.NumberFilter()
    intervention = filters.NumberFilter()

    class Meta:
        model = Document
        fields = ["client", "equipment", "intervention", "kind"]
