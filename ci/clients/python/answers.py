"""What an answer parsed by the generated client must be: the model the document names, with no
field that the document does not declare."""

from typing import Any

import attrs


def expected_model(operation: dict) -> str | None:
    """The schema name of the 200 answer's JSON body; None for a text body."""
    content = operation["responses"]["200"]["content"]
    if "application/json" not in content:
        return None
    return content["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]


def is_model(parsed: Any, schema_name: str) -> bool:
    """openapi-python-client names the class of `Page_Observation` `PageObservation`."""
    return type(parsed).__name__.lower() == schema_name.replace("_", "").lower()


def undocumented_fields(value: Any, where: str = "") -> list[str]:
    """Fields of the answer that the generated models did not declare: a model with declared
    fields keeps whatever else it received in `additional_properties`. A model that declares
    none is a map, whose keys are its data."""
    if isinstance(value, list):
        return [
            f for i, item in enumerate(value) for f in undocumented_fields(item, f"{where}[{i}]")
        ]
    if not attrs.has(type(value)):
        return []
    # Absent where the schema says `additionalProperties: false`.
    additional = getattr(value, "additional_properties", {})
    declared = [f.name for f in attrs.fields(type(value)) if f.name != "additional_properties"]
    found = [f"{where}.{key}" for key in additional] if declared else []
    for name in declared:
        found += undocumented_fields(getattr(value, name), f"{where}.{name}")
    for key, item in additional.items():
        found += undocumented_fields(item, f"{where}[{key!r}]")
    return found
