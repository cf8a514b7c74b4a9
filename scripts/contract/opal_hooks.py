"""Schemathesis hooks for the Opal conformance run (loaded through SCHEMATHESIS_HOOKS).

The run tests Tessera against Opal's own spec, filtered to the operations
Tessera implements (opal_subset.py). It uses the same renewable admin
credential as the main run (hooks.py), and one check of its own in place of
Schemathesis's `status_code_conformance`:

Opal documents hardly any error responses: GET /tokens, GET /users, GET /user
and GET /events list only 200, GET /events/{event_id} 200 and 404, DELETE
/tokens/{token_id} 200, 403 and 404; not even the 401 that every one of them
answers to a bad token. `status_code_conformance` would fail on every 400 or
401 merely because Tessera documents its errors and Opal does not. Tessera's
error responses are already held to Tessera's own spec, body and headers, by
the main run. So `opal_status_conformance` asks, of every response:

- a status Opal documents for the operation: conforms (and its body is
  checked against Opal's schema by `response_schema_conformance`);
- any other 2xx or 3xx, or a 5xx: fails, whatever the request;
- any other 4xx: it must be one Tessera's own spec documents for the
  operation; and when Schemathesis sent data that Opal's schema calls valid
  (a positive case), a 4xx is a failure (a drift from Opal: a request
  Opal's clients may send, refused), except in the few places where Opal's
  schema is looser than Opal's own words and Tessera's product brief
  narrows it, listed in OPAL_NARROWINGS below with the reason for each
  (and OPAL_EMPTY_LISTS: an empty list, which form style cannot write);
  the check reads which fields a 400 names (`errors[].field`) and fails if
  any is not listed. A positive case always carries the run's live admin
  credential (hooks.py renews it when the run destroys it), so a 401 or 403
  there is a failure too; the cases that drop or garble the credential on
  purpose are negative ones, and for them Tessera's documented 401 is right.
"""

from __future__ import annotations

import os

import schemathesis
import yaml

# Request-shape probes (a TRACE on a GET-only path, a duplicated query
# parameter, ...) are not the operation's own requests; Schemathesis's
# status_code_conformance skips them the same way (pinned version).
from schemathesis.specs.openapi.checks import is_unexpected_http_status_case

import hooks  # noqa: F401  (registers the renewable admin credential)

# Where Opal's schema accepts a value that its description rules out, and
# Tessera refuses it with a 400 naming the field (PRODUCT.md §3 and §5a).
OPAL_NARROWINGS: dict[tuple[str, str], dict[str, str]] = {}
_PAGED = {
    "page_size": "Opal gives `maximum: 1000` but no minimum; a page of 0 or fewer results "
                 "means nothing, and Tessera's brief makes page_size < 1 a 400.",
    "cursor": "an opaque cursor from a previous page (Opal's `next`/`previous`); any other "
              "string is not a cursor.",
}
for _operation in [("GET", "/tokens"), ("GET", "/users"), ("GET", "/events")]:
    OPAL_NARROWINGS[_operation] = dict(_PAGED)
OPAL_NARROWINGS[("GET", "/events")].update({
    "start_date_filter": "Opal's schema says string; its examples are a date or a date-time, "
                         "and anything else cannot be compared with event times.",
    "end_date_filter": "as start_date_filter.",
    "api_token_filter": "Opal: 'Supply the name and preview of the API token', e.g. "
                        "`fullaccess:****M_g==`; a string without the `:` names no token.",
})
OPAL_NARROWINGS[("GET", "/user")] = {
    "user_id": "Opal: 'If neither [user_id nor email] are provided, an error will occur.' "
               "Tessera reports that error as a 400 naming user_id.",
}
# Form style with explode: false cannot write an empty list (RFC 6570 leaves
# the parameter out), yet Schemathesis sends Opal's schema-valid [] as
# `token_ids=`, which is how RFC 6570 writes [""]: one empty ID. Tessera reads
# it that way and refuses it, naming token_ids[0] (its own spec says
# minItems: 1). Only a request whose value is exactly empty is excused.
OPAL_EMPTY_LISTS: dict[tuple[str, str], set[str]] = {("GET", "/tokens"): {"token_ids"}}
# A lookup of a user that does not exist cannot return a User; Opal documents
# only 200 for GET /user, Tessera answers 404 (documented in its own spec).
OPAL_NOT_FOUND = {("GET", "/user")}


def _tessera_statuses() -> dict[tuple[str, str], set[str]]:
    with open(os.environ["TESSERA_SPEC"], encoding="utf-8") as handle:
        spec = yaml.load(handle, Loader=yaml.BaseLoader)  # every scalar a string
    statuses = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and "responses" in operation:
                statuses[(method.upper(), path)] = set(operation["responses"])
    return statuses


TESSERA_STATUSES = _tessera_statuses()


def _documented(status: int, documented: set[str]) -> bool:
    return str(status) in documented or f"{str(status)[0]}XX" in documented or "default" in documented


@schemathesis.check
def opal_status_conformance(ctx, response, case):
    if is_unexpected_http_status_case(case):
        return None
    operation = (case.method.upper(), case.operation.path)
    status = response.status_code
    opal = set(case.operation.definition.raw.get("responses", {}))
    if _documented(status, opal):
        return None

    def fail(why: str):
        raise AssertionError(
            f"Undocumented status code (Opal): {status} is not a status Opal documents for "
            f"{case.operation.label} ({', '.join(sorted(opal))}): {why}"
        )

    if not 400 <= status < 500:
        fail("only 4xx errors may go beyond Opal's list")
    tessera = TESSERA_STATUSES.get(operation, set())
    if not _documented(status, tessera):
        fail(f"Tessera's own spec does not document it either ({', '.join(sorted(tessera))})")
    meta = case.meta
    positive = meta is None or meta.generation.mode.is_positive  # unknown: the stricter reading
    if not positive:
        return None  # data Opal's schema calls invalid: a documented 4xx is the right answer
    if status == 404 and operation in OPAL_NOT_FOUND:
        return None
    if status == 400:
        try:
            fields = {error["field"] for error in response.json().get("errors", [])}
        except Exception:  # noqa: BLE001
            fields = set()
        allowed = set(OPAL_NARROWINGS.get(operation, {}))
        for name in OPAL_EMPTY_LISTS.get(operation, set()):
            if (case.query or {}).get(name) == "":
                allowed.add(f"{name}[0]")
        if fields and fields <= allowed:
            return None
        fail(f"Opal's schema accepts this request, and Tessera refused it "
             f"(fields {sorted(fields) or 'none named'}; narrowings allowed here: {sorted(allowed) or 'none'})")
    fail("Opal's schema accepts this request, and Tessera refused it")
