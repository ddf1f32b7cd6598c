"""Validation once per distinct valid document, not on every request.

graphql-core's `validate` runs every rule over the whole document (15 % of a small logged-in
request's CPU, docs/benchmarks.md). Its outcome depends only on the schema, the document's
text and the rules, so a document found valid is remembered (bounded LRU, per process) and
skipped the next time. Invalid documents are never remembered: they are validated again
each time, so their errors (objects that other extensions annotate per request) are never
shared between requests, and unique bad documents cannot fill the cache.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

from strawberry.extensions import SchemaExtension

MAX_DOCUMENTS = 512
_valid: OrderedDict[tuple[int, str, tuple[Any, ...]], None] = OrderedDict()


class ValidDocumentCache(SchemaExtension):
    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        query = context.query
        rules = tuple(context.validation_rules)
        key = (id(context.schema), query, rules) if query else None
        if key is not None and key in _valid and context.pre_execution_errors is None:
            _valid.move_to_end(key)
            context.pre_execution_errors = []
            yield
            return
        yield
        if key is not None and context.pre_execution_errors == []:
            _valid[key] = None
            if len(_valid) > MAX_DOCUMENTS:
                _valid.popitem(last=False)
