"""Generic Relay connection types; strawberry names them `<Node>Connection` / `<Node>Edge`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Generic, TypeVar

import strawberry

from resolvers.pagination import Page

# The arguments every connection field takes, described once.
First = Annotated[
    int | None, strawberry.argument(description="Items after `after` (or from the start): 1–100; 20 when neither `first` nor `last` is given.")
]
After = Annotated[
    str | None, strawberry.argument(description="A cursor from this connection: the page starts right after the item it names.")
]
Last = Annotated[
    int | None, strawberry.argument(description="Items before `before` (or up to the end), read backward: 1–100.")
]
Before = Annotated[
    str | None, strawberry.argument(description="A cursor from this connection: the page ends right before the item it names.")
]

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT")


@strawberry.type(description="Where a page stands in its connection (Relay).")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether more items follow the page. Read forward (`first`), it is exact; read "
        "backward (`last`), it says whether `before` was given."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether items come before the page. Read backward (`last`), it is exact; read "
        "forward (`first`), it says whether `after` was given."
    )
    start_cursor: str | None = strawberry.field(description="The first item's cursor; null on an empty page.")
    end_cursor: str | None = strawberry.field(description="The last item's cursor; null on an empty page.")


@strawberry.type(description="An item of a page, with the cursor that names it.")
class Edge(Generic[NodeT]):
    cursor: str = strawberry.field(
        description="Opaque. Names this item by the values the connection is ordered by, so `after` "
        "it (or `before` it) stays put while items are added or removed elsewhere."
    )
    node: NodeT = strawberry.field(description="The item.")


@strawberry.type(description="One page of a list, Relay-style: ask with `first`/`after` or `last`/`before`.")
class Connection(Generic[NodeT]):
    edges: list[Edge[NodeT]] = strawberry.field(description="The page's items with their cursors.")
    nodes: list[NodeT] = strawberry.field(description="The page's items, when their cursors are not needed.")
    page_info: PageInfo = strawberry.field(description="Where the page stands, and its first and last cursors.")
    total_count: int = strawberry.field(description="Number of items across all pages.")

    @classmethod
    def build(cls, page: Page[RowT], to_node: Callable[[RowT], NodeT]) -> Connection[NodeT]:
        nodes = [to_node(row) for row in page.rows]
        edges = [Edge(cursor=cursor, node=node) for cursor, node in zip(page.cursors, nodes, strict=True)]
        return cls(
            edges=edges,
            nodes=nodes,
            page_info=PageInfo(
                has_next_page=page.has_next_page,
                has_previous_page=page.has_previous_page,
                start_cursor=edges[0].cursor if edges else None,
                end_cursor=edges[-1].cursor if edges else None,
            ),
            total_count=page.total,
        )
