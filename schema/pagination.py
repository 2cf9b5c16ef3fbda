"""Generic Relay connection types; strawberry names them `<Node>Connection` / `<Node>Edge`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

import strawberry

from resolvers.pagination import Window

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")


@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[NodeT]):
    cursor: str
    node: NodeT


@strawberry.type
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]]
    page_info: PageInfo
    total_count: int = strawberry.field(description="Number of items across all pages.")

    @classmethod
    def build(
        cls, rows: Sequence[RowT], window: Window, to_node: Callable[[RowT], NodeT]
    ) -> Connection[NodeT]:
        edges = [Edge(cursor=window.cursor(i), node=to_node(row)) for i, row in enumerate(rows)]
        return cls(
            edges=edges,
            page_info=PageInfo(
                has_next_page=window.has_next_page,
                has_previous_page=window.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=window.total,
        )
