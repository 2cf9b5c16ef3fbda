"""The committed schema.graphql is what the code builds; regenerate with `workcred export-schema`."""

from pathlib import Path

from schema import sdl

SDL_FILE = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_sdl_matches_the_code():
    assert SDL_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema.graphql is stale: run `workcred export-schema` and review the diff "
        "(a breaking change must be a deliberate, noted decision)"
    )


def test_sdl_keeps_the_contract_names():
    text = sdl()
    for name in [
        "node(id: ID!): Node",
        "viewer: Viewer",
        "company(slug: String!): Company",
        "signUp(input: SignUpInput!): AuthPayload!",
        "signIn(input: SignInInput!): AuthPayload!",
        "signOut: SignOutPayload!",
        "addEmployment(input: AddEmploymentInput!): EmploymentPayload!",
        "type UserError",
    ]:
        assert name in text, f"contract name missing from the schema: {name}"
