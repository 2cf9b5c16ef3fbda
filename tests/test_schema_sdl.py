"""The committed schema.graphql is what the code builds; regenerate with `workcred export-schema`."""

from pathlib import Path

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    build_schema,
    specified_scalar_types,
)

from schema import sdl

SDL_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_sdl_matches_the_code():
    assert SDL_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema.graphql is stale: run `workcred export-schema` and review the diff "
        "(a breaking change must be a deliberate, noted decision)"
    )


def signatures() -> set[str]:
    """Each root field as `name(argument: Type, …): Type`, descriptions aside."""
    schema = build_schema(sdl())
    found = set()
    for root in (schema.query_type, schema.mutation_type, schema.subscription_type):
        assert root is not None
        for name, field in root.fields.items():
            arguments = ", ".join(f"{arg}: {argument.type}" for arg, argument in field.args.items())
            found.add(f"{name}({arguments}): {field.type}" if arguments else f"{name}: {field.type}")
    return found


def test_sdl_keeps_the_contract_names():
    for name in [
        "node(id: ID!): Node",
        "viewer: Viewer",
        "company(slug: String!): Company",
        "signUp(input: SignUpInput!): AuthPayload!",
        "signIn(input: SignInInput!): AuthPayload!",
        "signOut: SignOutPayload!",
        "addEmployment(input: AddEmploymentInput!): EmploymentPayload!",
    ]:
        assert name in signatures(), f"contract name missing from the schema: {name}"
    assert "type UserError" in sdl()


def undescribed() -> list[str]:
    """Every type, field, argument and enum value of the schema without a description."""
    schema = build_schema(SDL_FILE.read_text(encoding="utf-8"))
    missing = []
    for name, named in schema.type_map.items():
        if name.startswith("__") or name in specified_scalar_types:
            continue
        missing += [] if named.description else [name]
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in named.fields.items():
                missing += [] if field.description else [f"{name}.{field_name}"]
                arguments = field.args.items() if isinstance(field, GraphQLField) else ()
                missing += [f"{name}.{field_name}({arg})" for arg, argument in arguments if not argument.description]
        if isinstance(named, GraphQLEnumType):
            missing += [f"{name}.{value}" for value, meaning in named.values.items() if not meaning.description]
    return missing


def test_every_type_field_argument_and_enum_value_is_described():
    assert undescribed() == []


def test_what_goes_away_is_deprecated_first_with_what_to_use_instead():
    schema = build_schema(SDL_FILE.read_text(encoding="utf-8"))
    deprecated = [
        (f"{name}.{field_name}", field.deprecation_reason)
        for name, named in schema.type_map.items()
        if isinstance(named, GraphQLObjectType | GraphQLInputObjectType)
        for field_name, field in named.fields.items()
        if getattr(field, "deprecation_reason", None)
    ]
    assert deprecated, "the fields on their way out are marked"
    assert all(len(reason) > 20 for _, reason in deprecated), deprecated
