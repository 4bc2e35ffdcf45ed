from django_filters import rest_framework as filters

from .choices import DocumentKind
from .models import Document


class DocumentFilterSet(filters.FilterSet):
    # ?kind=report&kind=photo selects either.
    kind = filters.MultipleChoiceFilter(choices=DocumentKind.choices)

    class Meta:
        model = Document
        fields = ["client", "equipment", "intervention", "kind"]
