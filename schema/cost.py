"""What a query document asks for, measured before anything runs: depth, aliases and cost.

Each fragment is measured once (memoised), so the work is linear in the document's size however
often fragments spread into each other — a few hundred bytes of nested spreads can expand to
billions of fields, and must be refused in milliseconds, not walked.

Cost is an estimate of the fields a query resolves. Every selected field costs one per object
it is resolved on; a connection's `edges` are resolved on as many objects as its `first`/`last`
asks for (20 when unset). So
`companies(first: 10) { edges { node { reviews(first: 5) { edges { node { title } } } } } }`
costs 1 (companies) + 10·3 (edges, node, reviews) + 50·3 (edges, node, title) = 181. Resolving
a field takes ~10 µs here, so the default limit of 10,000 bounds a request to roughly 0.1 s of
resolver work. Cost is linear in the number of objects a selection is resolved on, so a
fragment's cost is measured once per (type, page size) for a single object and multiplied.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValidationContext,
    ValidationRule,
    get_named_type,
    value_from_ast_untyped,
)

from resolvers.pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE

_ROOTS = {
    OperationType.QUERY: "query_type",
    OperationType.MUTATION: "mutation_type",
    OperationType.SUBSCRIPTION: "subscription_type",
}


def _page_size(node: FieldNode, variables: Mapping[str, Any]) -> int:
    for argument in node.arguments or ():
        if argument.name.value in ("first", "last"):
            value = value_from_ast_untyped(argument.value, dict(variables))
            if isinstance(value, int):
                return max(1, min(value, MAX_PAGE_SIZE))
    return DEFAULT_PAGE_SIZE


@dataclass
class DocumentShape:
    """Depth and aliases of one document's selections, fragments measured once each."""

    fragments: dict[str, FragmentDefinitionNode]
    _depth: dict[str, int] = field(default_factory=dict)
    _aliases: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, document: DocumentNode) -> DocumentShape:
        return cls({d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)})

    def depth(self, selections: SelectionSetNode | None) -> int:
        """Nesting of fields below (and including) this selection set; spreads add none, and
        neither does introspection (its shape is the schema's, its size bounded by the tokens)."""
        deepest = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode) and selection.name.value.startswith("__"):
                continue
            if isinstance(selection, FieldNode):
                below = 1 + self.depth(selection.selection_set) if selection.selection_set else 1
                deepest = max(deepest, below)
            elif isinstance(selection, InlineFragmentNode):
                deepest = max(deepest, self.depth(selection.selection_set))
            elif isinstance(selection, FragmentSpreadNode):
                deepest = max(deepest, self._fragment(selection.name.value, self._depth, self.depth))
        return deepest

    def aliases(self, selections: SelectionSetNode | None) -> int:
        """Aliased fields this selection set resolves, fragments counted as often as spread."""
        count = 0
        for selection in selections.selections if selections else ():
            if isinstance(selection, FieldNode):
                count += (selection.alias is not None) + self.aliases(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                count += self.aliases(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                count += self._fragment(selection.name.value, self._aliases, self.aliases)
        return count

    def _fragment(self, name: str, memo: dict[str, int], measure: Any) -> int:
        if name not in memo:
            fragment = self.fragments.get(name)
            memo[name] = 0  # a cycle (refused by validation) counts nothing instead of recursing
            if fragment is not None:
                memo[name] = measure(fragment.selection_set)
        return memo[name]


@dataclass
class _Cost:
    schema: GraphQLSchema
    shape: DocumentShape
    variables: Mapping[str, Any]
    _memo: dict[tuple[str, str, int], int] = field(default_factory=dict)

    def per_object(self, selections: SelectionSetNode, parent: GraphQLNamedType, page: int) -> int:
        """Cost of resolving `selections` on one object of type `parent`."""
        total = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, page)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                on = self.schema.get_type(condition.name.value) if condition else parent
                total += self.per_object(selection.selection_set, on or parent, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, parent, page)
        return total

    def _fragment(self, name: str, parent: GraphQLNamedType, page: int) -> int:
        key = (name, parent.name, page)
        if key not in self._memo:
            self._memo[key] = 0  # cycles are refused by validation; count them as nothing
            fragment = self.shape.fragments.get(name)
            if fragment is not None:
                on = self.schema.get_type(fragment.type_condition.name.value) or parent
                self._memo[key] = self.per_object(fragment.selection_set, on, page)
        return self._memo[key]

    def _field(self, node: FieldNode, parent: GraphQLNamedType, page: int) -> int:
        name = node.name.value
        definition = getattr(parent, "fields", {}).get(name)
        if name.startswith("__") or definition is None:
            return 0  # introspection, and unknown fields (validation reports those)
        if node.selection_set is None:
            return 1
        child = get_named_type(definition.type)
        child_page = _page_size(node, self.variables) if child.name.endswith("Connection") else page
        # A connection's edges are resolved once per item of its page; everything else once.
        objects = page if parent.name.endswith("Connection") and name == "edges" else 1
        return objects * (1 + self.per_object(node.selection_set, child, child_page))


def query_cost(
    schema: GraphQLSchema, document: DocumentNode, operation_name: str | None, variables: Mapping[str, Any] | None
) -> int:
    """Estimated fields the named (or only) operation resolves; 0 when there is none."""
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    if len(chosen) != 1:
        return 0
    root = getattr(schema, _ROOTS[chosen[0].operation])
    estimate = _Cost(schema, DocumentShape.of(document), variables or {})
    return estimate.per_object(chosen[0].selection_set, root, DEFAULT_PAGE_SIZE)


def shape_limits(max_depth: int, max_aliases: int) -> type[ValidationRule]:
    """A validation rule refusing operations deeper than `max_depth` fields or resolving more
    than `max_aliases` aliased fields — measured in one linear pass over the document."""

    class ShapeLimits(ValidationRule):
        def __init__(self, context: ValidationContext) -> None:
            super().__init__(context)
            self.shape = DocumentShape.of(context.document)

        def enter_operation_definition(self, node: OperationDefinitionNode, *_: object) -> None:
            name = node.name.value if node.name else "anonymous"
            # Depth counts the levels below the root fields, as strawberry's limiter did.
            if (depth := self.shape.depth(node.selection_set) - 1) > max_depth:
                self.report_error(
                    GraphQLError(f"'{name}' exceeds maximum operation depth of {max_depth} (it is {depth}).", node)
                )
            if (aliases := self.shape.aliases(node.selection_set)) > max_aliases:
                self.report_error(
                    GraphQLError(f"{aliases} aliases found. Allowed: {max_aliases}", node)
                )

    return ShapeLimits
