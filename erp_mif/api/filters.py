from rest_framework import filters


class OrderingFilter(filters.OrderingFilter):
    """?ordering= with the contract's field names; unknown names are ignored.

    A view may map a public name to an annotation (`ordering_aliases = {"priority": "priority_rank"}`),
    and `id` breaks ties so that pages never overlap.
    """

    def get_ordering(self, request, queryset, view):
        ordering = super().get_ordering(request, queryset, view)
        if not ordering:
            return ordering
        aliases = getattr(view, "ordering_aliases", {})
        mapped = []
        for field in ordering:
            descending, name = field.startswith("-"), field.lstrip("-")
            mapped.append(("-" if descending else "") + aliases.get(name, name))
        if not any(field.lstrip("-") == "id" for field in mapped):
            mapped.append("-id" if mapped[0].startswith("-") else "id")
        return mapped
