"""Every error code a client sees comes from one catalogue, and its documentation is generated."""

import re
from pathlib import Path

from graphql import GraphQLEnumType, GraphQLObjectType, build_schema

from domain.errors import ErrorCode, markdown_table

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ["domain", "resolvers", "schema", "infra", "models", "workcred", "credit"]


def _source_files():
    for folder in SOURCE_FOLDERS:
        yield from (ROOT / folder).glob("*.py")
    yield ROOT / "app.py"


def test_committed_error_code_table_matches_the_catalogue():
    committed = (ROOT / "docs" / "error-codes.md").read_text(encoding="utf-8")
    assert committed == markdown_table(), "docs/error-codes.md is stale: run `workcred export-docs`"


def test_every_code_is_documented_with_a_meaning():
    for code in ErrorCode:
        assert code.value == code.name
        assert code.description.strip(), f"{code.name} has no description"


def test_no_error_code_is_spelled_as_a_free_string():
    # given every error code the API can send
    names = "|".join(code.value for code in ErrorCode)
    free_string = re.compile(rf'"({names})"')
    # then no source file spells one out instead of naming the catalogue member
    offenders = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in _source_files()
        if path.name != "errors.py" or path.parent.name != "domain"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if free_string.search(line)
    ]
    assert offenders == [], "use domain.errors.ErrorCode instead:\n" + "\n".join(offenders)


def test_the_schema_offers_the_catalogue_as_an_enum_a_client_can_switch_on():
    schema = build_schema((ROOT / "schema.graphql").read_text(encoding="utf-8"))
    enum, user_error, career_credit = (schema.type_map[name] for name in ("ErrorCode", "UserError", "CareerCredit"))
    assert isinstance(enum, GraphQLEnumType)
    assert isinstance(user_error, GraphQLObjectType) and isinstance(career_credit, GraphQLObjectType)
    assert list(enum.values) == [code.name for code in ErrorCode]
    assert all(value.description for value in enum.values.values())
    assert str(user_error.fields["code"].type) == "ErrorCode!"
    credit = career_credit.fields
    assert str(credit["reasonCodes"].type) == str(credit["positives"].type) == "[CreditReasonCode!]!"
