"""Schemathesis hooks (`hooks` in schemathesis.toml): which failures are not failures, each for
a reason no schema can state. Two rules, each as narrow as its reason:

1. A sparse fieldset (`fields=`) answers a projection of the item the document declares.
2. A schema-valid request is refused (400) only for a value no JSON Schema can tell from a valid
   one: a pagination cursor (valid only when this server issued and signed it, for the same
   query) or a query in the FTS5 grammar (`syntax=advanced`); or for one of two combinations
   of parameters a schema cannot forbid, each documented on its parameters: `include` with
   `as_of` on one agreement, and `fields` with `include`. A 400 whose problem names any other
   parameter, or these in another case, is still a failure.

Rule 1 in detail:

`fields=slug,status` answers each item with only those fields: a projection of the item whose
schema the document declares, which is why that schema is the whole item's. OpenAPI cannot
make a response schema depend on a query parameter, so the document says it in words (the
`fields` parameter's description), and this hook says it to schemathesis: a response-schema
failure is dropped only when it is a `required` property missing from an item of an answer
to `fields`, and no field that request named is among the missing ones. Everything else about
such an answer is still checked (a named field missing, a wrong type, an unknown property),
as is every answer without `fields`, which has every field.

One limit: schemathesis reports the first violation in an answer, so a projected answer whose
first violation is dropped here is not searched for a second. The values of projected fields
are serialized by the same code as in answers without `fields`, which are checked in full.
"""

import json

import schemathesis

# The parameters a 400 may name for schema-valid data (rule 2), and in which requests.
OPAQUE = {
    "cursor": lambda query: True,
    "q": lambda query: query.get("syntax") == "advanced",
    "include": lambda query: "as_of" in query,
    "fields": lambda query: "include" in query,
}


def fields_asked(case):
    """The field names the case's `fields` names, or None without one."""
    value = (case.query or {}).get("fields")
    if value is None:
        return None
    if isinstance(value, str):
        return set(value.split(","))
    return {str(name) for name in value}


def rejects_only_an_opaque_value(failure, case, response):
    """Rule 2: a 400 to schema-valid data whose problem names only opaque parameters."""
    if type(failure).__name__ != "RejectedPositiveData" or response.status_code != 400:
        return False
    try:
        named = {problem["name"] for problem in json.loads(response.content)["invalid_params"]}
    except (ValueError, KeyError, TypeError):
        return False
    query = case.query or {}
    return bool(named) and all(name in OPAQUE and OPAQUE[name](query) for name in named)


@schemathesis.hook
def filter_failure(context, failure, case, response):
    if response is not None and rejects_only_an_opaque_value(failure, case, response):
        return False
    asked = fields_asked(case)
    schema_path = getattr(failure, "schema_path", None)
    if asked is None or not schema_path or schema_path[-1] != "required":
        return True
    item = failure.instance
    if not isinstance(item, dict):
        return True
    required = failure.schema.get("required", [])
    missing = [name for name in required if name not in item]
    # Kept when the answer lacks a field the request named (a projection that lost one).
    return not missing or any(name in asked for name in missing)
