from rest_framework import pagination


class PageNumberPagination(pagination.PageNumberPagination):
    """?page=1-based&page_size=25 (max 100, larger values are capped); a page past the end is 404."""

    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100
