"""Query helpers every app's selectors share."""

from django.db.models import Aggregate, OuterRef, QuerySet, Subquery


def per_row_aggregate(related: QuerySet, link: str, aggregate: Aggregate) -> Subquery:
    """`aggregate` over the `related` rows whose `link` points at the outer row, as a correlated subquery.

    A subquery rather than a JOIN + GROUP BY: several of them can sit side by side on one queryset
    without multiplying each other's rows, and the outer query keeps its own ordering and filters.
    """
    per_row = related.filter(**{link: OuterRef("pk")}).order_by().values(link).annotate(value=aggregate)
    return Subquery(per_row.values("value")[:1])
