"""What a data user does beyond single calls, through the generated client: follow a collection
to its end by cursor, load its CSV and Parquet exports into pandas, read the live stream."""

import io
import json
from types import ModuleType
from typing import Any

import httpx
import pandas as pd
from trade_agreement_api_client import Client
from trade_agreement_api_client.api.observations import list_observations
from trade_agreement_api_client.models import ChangeEntry, Format, PageObservation
from trade_agreement_api_client.types import UNSET, Unset

from answers import undocumented_fields

# Observations: the largest seeded collection, so that a small limit makes several pages.
PAGE_LIMIT = 2
# The stream's first event (the seed, revision 1) is sent at once; these bound the wait for it.
STREAM_READ_SECONDS = 10
STREAM_MAX_BYTES = 64 * 1024


def counted_observations(client: Client) -> int:
    page = list_observations.sync(client=client, limit=1, count=True)
    assert isinstance(page, PageObservation), f"parsed {page!r:.300}"
    assert isinstance(page.total, int), f"count=true gave no total: {page.total!r}"
    return page.total


def walked_observations(client: Client) -> list[str]:
    """The slugs of every observation, page by page, following `next_cursor`."""
    total = counted_observations(client)
    slugs: list[str] = []
    cursor: str | Unset = UNSET
    for _ in range(total // PAGE_LIMIT + 1):
        page = list_observations.sync(client=client, limit=PAGE_LIMIT, cursor=cursor)
        assert isinstance(page, PageObservation), f"parsed {page!r:.300}"
        slugs += [observation.slug for observation in page.data]
        assert not isinstance(page.next_cursor, Unset), "a page without `next_cursor`"
        if page.next_cursor is None:
            return slugs
        cursor = page.next_cursor
    raise AssertionError(f"still a next page after {total // PAGE_LIMIT + 1} pages of {PAGE_LIMIT}")


def check_cursor_walk(client: Client) -> str:
    total = counted_observations(client)
    slugs = walked_observations(client)
    assert len(slugs) == total, f"{len(slugs)} items walked, count=true says {total}"
    assert len(set(slugs)) == len(slugs), f"an item came twice: {sorted(slugs)}"
    return f"{total} observations by cursor, {PAGE_LIMIT} a page, each once"


def export(client: Client, media_type: str, **query: Any) -> bytes:
    """Every observation in one format. The generated call parses any 200 as JSON, whatever its
    media type, so an export is sent as the request the generator builds and read as bytes."""
    request = list_observations._get_kwargs(**query)
    response = client.get_httpx_client().request(**request)
    assert response.status_code == 200, f"answered {response.status_code}: {response.text[:300]}"
    content_type = response.headers.get("content-type", "")
    assert content_type.startswith(media_type), f"content-type {content_type!r}"
    return response.content


def check_csv_export(client: Client) -> str:
    frame = pd.read_csv(io.BytesIO(export(client, "text/csv", format_=Format.CSV, csv_raw=True)))
    total = counted_observations(client)
    assert len(frame) == total, f"{len(frame)} CSV rows, count=true says {total}"
    assert sorted(frame["slug"]) == sorted(walked_observations(client)), (
        "CSV rows differ from JSON items"
    )
    return f"{len(frame)} rows x {len(frame.columns)} columns in pandas"


def check_parquet_export(client: Client) -> str:
    try:
        parquet = Format("parquet")
    except ValueError:
        raise AssertionError(
            f"the document's Format offers no parquet: {[f.value for f in Format]}"
        ) from None
    content = export(client, "application/vnd.apache.parquet", format_=parquet)
    assert content[:4] == b"PAR1" and content[-4:] == b"PAR1", (
        f"not a Parquet file: {content[:40]!r}"
    )
    frame = pd.read_parquet(io.BytesIO(content), engine="pyarrow")
    total = counted_observations(client)
    assert len(frame) == total, f"{len(frame)} Parquet rows, count=true says {total}"
    assert sorted(frame["slug"]) == sorted(walked_observations(client)), (
        "Parquet rows differ from JSON items"
    )
    return f"{len(frame)} rows x {len(frame.columns)} columns in pandas (pyarrow)"


def first_stream_event(client: Client, stream_changes: ModuleType) -> str:
    """Reads the live stream from revision 0 up to its first event, the seed's, and parses its
    data into the generated ChangeEntry. The generated call would wait for the end of a body
    that never ends, so the request it builds is streamed, with a read timeout and a byte cap."""
    request = stream_changes._get_kwargs(since=0)
    fields: dict[str, str] = {}
    read = 0
    timeout = httpx.Timeout(STREAM_READ_SECONDS)
    with client.get_httpx_client().stream(**request, timeout=timeout) as response:
        assert response.status_code == 200, f"answered {response.status_code}"
        content_type = response.headers.get("content-type", "")
        assert content_type.startswith("text/event-stream"), f"content-type {content_type!r}"
        for line in response.iter_lines():
            read += len(line) + 1
            assert read <= STREAM_MAX_BYTES, f"no complete event in {STREAM_MAX_BYTES} bytes"
            if not line:
                break
            name, _, value = line.partition(":")
            fields[name] = value.removeprefix(" ")
    assert fields.get("event") == "change", f"first event {fields}"
    entry = ChangeEntry.from_dict(json.loads(fields["data"]))
    assert not undocumented_fields(entry), (
        f"fields the document does not declare: {undocumented_fields(entry)}"
    )
    assert entry.revision == 1 == int(fields["id"]), f"first event is not revision 1: {fields}"
    return f"first event parsed into ChangeEntry (revision {entry.revision}, {entry.action})"


CHECKS = [
    ("cursor walk (observations)", check_cursor_walk),
    ("CSV export into pandas", check_csv_export),
    ("Parquet export into pandas", check_parquet_export),
]
