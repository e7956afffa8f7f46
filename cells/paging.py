"""Paginators for tables of millions of rows: no exact COUNT(*) over the whole table.

Django's Paginator counts every matching row before it shows a page; over 3.5 million
meetings that count costs more than the page. These keep the page interface the templates
use (`has_next`, `number`, iteration) and count less or not at all.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from cells.params import parse_int


class KnownCountPaginator(Paginator):
    """A Paginator whose count was already computed by another query (a summary of the same rows)."""

    def __init__(self, object_list, per_page, *, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self._known_count = count

    @cached_property
    def count(self) -> int:
        return self._known_count


class CappedCountPaginator(Paginator):
    """Counts at most `cap` rows (a bounded subquery): past the cap the last page number stops growing.

    For the admin lists, with `show_full_result_count = False`: the admin shows the count and
    page links from the paginator, and nobody pages through more than a few hundred pages.
    """

    cap = 10_000

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: self.cap].count()


class NextPage:
    """A page that knows whether a next one exists, read with one row more than it shows."""

    def __init__(self, object_list: list, number: int, *, has_next: bool):
        self.object_list, self.number, self._has_next = object_list, number, has_next

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    def __getitem__(self, index):
        return self.object_list[index]

    def has_next(self) -> bool:
        return self._has_next

    def has_previous(self) -> bool:
        return self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_next() or self.has_previous()

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1


class NextPagePaginator:
    """Pages of an ordered queryset without counting it: one query per page, whatever the table's size."""

    def __init__(self, object_list, per_page: int):
        self.object_list, self.per_page = object_list, per_page

    def get_page(self, number) -> NextPage:
        number = parse_int(number, minimum=1, maximum=999_999) or 1
        start = (number - 1) * self.per_page
        rows = list(self.object_list[start : start + self.per_page + 1])
        return NextPage(rows[: self.per_page], number, has_next=len(rows) > self.per_page)
