"""Iterate over a whole table in chunks of primary keys, as data migrations should."""

import sys


class RangeQuerySetWrapper:
    """Yield every row of ``queryset``, ``step`` rows per query, ordered by primary key.

    Each chunk is fetched with ``pk > last_pk``, so every query is cheap however
    large the table is.
    """

    def __init__(self, queryset, *, step=1000):
        self.queryset = queryset
        self.step = step

    def __iter__(self):
        last = None
        while True:
            chunk = self.queryset.order_by("pk")
            if last is not None:
                chunk = chunk.filter(pk__gt=last)
            rows = list(chunk[: self.step])
            if not rows:
                return
            yield from rows
            last = rows[-1].pk


class RangeQuerySetWrapperWithProgressBar(RangeQuerySetWrapper):
    """The same, reporting how far it got on standard error."""

    def __iter__(self):
        total = self.queryset.count()
        for done, row in enumerate(super().__iter__(), 1):
            if done % self.step == 0 or done == total:
                print(f"{self.queryset.model.__name__}: {done}/{total}", file=sys.stderr)
            yield row
