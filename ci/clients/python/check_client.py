"""Every read operation of the OpenAPI document, called through the Python client that
openapi-python-client generated from it, against a running server; then a cursor walk, CSV and
Parquet exports loaded with pandas, and one event of the live stream (downloads.py).

The operations are enumerated from the document, not listed here, so a new operation is called
(or fails the run for want of an argument) without anyone editing this file. Path values are real
ones: the first item of the collection the path names. The client is plain: no token.

Usage: check_client.py BASE_URL OPENAPI_JSON
"""

import importlib
import json
import pkgutil
import sys
from collections.abc import Callable
from types import ModuleType
from typing import Any

import trade_agreement_api_client.api
from trade_agreement_api_client import Client

import downloads
from answers import expected_model, is_model, undocumented_fields

# Required query parameters the seeded record cannot supply by itself.
QUERY_ARGUMENTS: dict[str, dict[str, Any]] = {"search_record": {"q": "rare earth"}}

# Operations that a plain request/answer call cannot exercise, and the check that does instead.
SPECIAL: dict[str, Callable[[Client, ModuleType], str]] = {
    # An endless text/event-stream: the generated call would wait for the body's end forever.
    "stream_changes": downloads.first_stream_event,
}


def read_operations(document: dict) -> list[tuple[str, str, dict]]:
    """(operationId, path, operation) of every GET in the document."""
    return [
        (operation["operationId"], path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method == "get"
    ]


def generated_modules() -> dict[str, ModuleType]:
    """The generator writes one module per operation, named after its operationId, under a
    package per tag."""
    package = trade_agreement_api_client.api
    modules = {}
    for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
        if not info.ispkg:
            module = importlib.import_module(info.name)
            modules[info.name.rsplit(".", 1)[1]] = module
    return modules


class PathValues:
    """Real values for path parameters: `/api/v1/rounds/{slug}/history` takes the `slug` of the
    first item that `/api/v1/rounds` lists, read through the generated client as well."""

    def __init__(self, client: Client, document: dict, modules: dict[str, ModuleType]):
        self.client = client
        self.list_modules = {
            path: modules[operation_id]
            for operation_id, path, _ in read_operations(document)
            if "{" not in path
        }
        self.first_items: dict[str, Any] = {}

    def for_path(self, path: str, names: list[str]) -> dict[str, str]:
        first = self.first_item(path.split("/{", 1)[0])
        return {name: getattr(first, name) for name in names}

    def first_item(self, collection: str) -> Any:
        if collection not in self.first_items:
            module = self.list_modules.get(collection)
            if module is None:
                raise LookupError(f"no GET {collection} lists the items its paths take")
            page = module.sync(client=self.client)
            if not getattr(page, "data", None):
                raise LookupError(f"GET {collection} listed no item")
            self.first_items[collection] = page.data[0]
        return self.first_items[collection]


def call(client: Client, module: ModuleType, path: str, operation: dict, values: PathValues) -> str:
    """Calls one operation; returns what it checked, raises AssertionError on a wrong answer."""
    operation_id = operation["operationId"]
    parameters = operation.get("parameters", [])
    path_names = [p["name"] for p in parameters if p["in"] == "path"]
    arguments = values.for_path(path, path_names) if path_names else {}
    arguments |= QUERY_ARGUMENTS.get(operation_id, {})
    missing = [
        p["name"]
        for p in parameters
        if p.get("required") and p["in"] == "query" and p["name"] not in arguments
    ]
    if missing:
        raise AssertionError(f"required {missing}: add a value to QUERY_ARGUMENTS")

    response = module.sync_detailed(client=client, **arguments)
    assert response.status_code == 200, (
        f"answered {response.status_code}: {response.content[:300]!r}"
    )
    parsed = response.parsed
    model = expected_model(operation)
    if model is None:
        assert isinstance(parsed, str) and parsed, f"expected text, parsed {type(parsed).__name__}"
        return f"text, {len(parsed)} characters"
    assert is_model(parsed, model), (
        f"expected a {model}, parsed {type(parsed).__name__}: {parsed!r:.300}"
    )
    extra = undocumented_fields(parsed)
    assert not extra, f"fields the document does not declare: {extra[:10]}"
    return type(parsed).__name__


def check_operation(
    client: Client,
    module: ModuleType | None,
    path: str,
    operation: dict,
    values: PathValues,
) -> str:
    if module is None:
        raise LookupError("the generator wrote no module for this operation")
    special = SPECIAL.get(operation["operationId"])
    if special is not None:
        return special(client, module)
    return call(client, module, path, operation, values)


def main() -> int:
    base_url, document_path = sys.argv[1:3]
    with open(document_path, encoding="utf-8") as file:
        document = json.load(file)
    modules = generated_modules()
    passed, failed = 0, 0

    def report(name: str, check: Callable[..., str], *arguments: Any) -> None:
        nonlocal passed, failed
        try:
            print(f"ok    {name}: {check(*arguments)}")
            passed += 1
        except Exception as error:  # noqa: BLE001 (one failure must not hide the others)
            print(f"FAIL  {name}: {type(error).__name__}: {error}")
            failed += 1

    with Client(base_url=base_url, raise_on_unexpected_status=True) as client:
        values = PathValues(client, document, modules)
        for operation_id, path, operation in read_operations(document):
            module = modules.get(operation_id)
            name = f"{operation_id} (GET {path})"
            report(name, check_operation, client, module, path, operation, values)
        for name, check in downloads.CHECKS:
            report(name, check, client)

    print(f"python client: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
