"""Schemathesis hooks (`hooks` in schemathesis.toml): how a sparse fieldset is judged.

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

import schemathesis


def fields_asked(case):
    """The field names the case's `fields` names, or None without one."""
    value = (case.query or {}).get("fields")
    if value is None:
        return None
    if isinstance(value, str):
        return set(value.split(","))
    return {str(name) for name in value}


@schemathesis.hook
def filter_failure(context, failure, case, response):
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
