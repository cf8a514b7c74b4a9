"""Schemathesis hooks for Tessera's contract tests (loaded through SCHEMATHESIS_HOOKS).

Authentication. Schemathesis runs as an admin with a full-access token, and
it may call every operation with whatever ids it finds, including the ones
that end its own credential: DELETE /tokens/{id} or
POST /tokens/{id}/regenerate on the token it is using (GET /self and
GET /tokens hand it that id, and the stateful phase follows such links), or
DELETE /users/{id} on its admin (allowed once it has created a second admin).
Excluding those operations or ids would hide exactly the paths most worth
testing, so the credential is renewable instead, and precisely:

- `LiveCredential` gets a token from `tessera bootstrap --database DB`, which
  on an existing database prints a new full-access token for the first
  *active* admin (Tessera never lets the last active admin be deactivated,
  so there always is one), and asks GET /self which token and user it is.
- `after_call` marks it dead when a response shows that the run just
  destroyed it: a 2xx from DELETE /tokens/{its id},
  POST /tokens/{its id}/regenerate or DELETE /users/{its user}.
- `before_call` puts the live credential on any request that carries an
  earlier, destroyed one (cases are generated before they are sent, and the
  coverage and stateful phases prepare several at once), minting a new one
  first when it is dead. Requests whose credentials Schemathesis removed or
  corrupted on purpose (the negative security cases and the `ignored_auth`
  check) carry no credential of ours and are left alone.
- There is no blanket retry on 401: a 401 for a credential that is live is
  a server bug, and the check `live_credential_accepted` reports it.

Operations with `security: []` (GET /healthz, GET /readyz, GET /metrics, GET /openapi.yaml,
POST /auth/token, POST /tokens/revoke, POST /secret-scanning/github) get no Authorization
header, as a real client sends none.
"""

from __future__ import annotations

import atexit
import os
import subprocess
import sys
import threading

import requests
import schemathesis

TESSERA_BINARY = os.environ["TESSERA_BINARY"]
TESSERA_DATABASE = os.environ["TESSERA_CONTRACT_DATABASE"]
TESSERA_URL = os.environ["TESSERA_CONTRACT_URL"].rstrip("/")  # http://127.0.0.1:PORT/v1
PUBLIC_OPERATIONS = [
    "getHealth", "getReadiness", "getMetrics", "getOpenAPIDocument", "exchangeToken", "revokeSecret", "reportLeakedSecrets",
]


class LiveCredential:
    def __init__(self) -> None:
        self._lock = threading.RLock()
        self.secret: str | None = None
        self.token_id: str | None = None
        self.user_id: str | None = None
        self.issued: set[str] = set()  # every secret this run was given
        self.renewals = 0

    def current(self) -> str:
        with self._lock:
            if self.secret is None:
                self._mint()
            assert self.secret is not None
            return self.secret

    def _mint(self) -> None:
        result = subprocess.run(
            [TESSERA_BINARY, "bootstrap", "--database", TESSERA_DATABASE],
            check=True, capture_output=True, text=True, timeout=60,
        )
        lines = result.stdout.strip().splitlines()
        if not lines:
            raise RuntimeError(f"tessera bootstrap printed no token: {result.stderr}")
        secret = lines[-1].strip()
        me = requests.get(f"{TESSERA_URL}/self", headers={"Authorization": f"Bearer {secret}"}, timeout=30)
        me.raise_for_status()
        body = me.json()
        self.secret, self.token_id, self.user_id = secret, body["token"]["token_id"], body["identity"]["user_id"]
        self.issued.add(secret)
        self.renewals += 1

    def destroyed(self) -> None:
        with self._lock:
            self.secret = None

    def is_ours(self, header: str | None) -> str | None:
        """The secret in an `Authorization: Bearer` header, when this run issued it."""
        if not header or not header.startswith("Bearer "):
            return None
        secret = header[len("Bearer "):]
        return secret if secret in self.issued else None


CREDENTIAL = LiveCredential()


@atexit.register
def _report_renewals() -> None:
    if CREDENTIAL.renewals > 1:
        print(f"(the run destroyed its own admin credential {CREDENTIAL.renewals - 1} times; "
              "each time a new one was minted)", file=sys.stderr)


@schemathesis.auth(refresh_interval=None).skip_for(operation_id=PUBLIC_OPERATIONS)
class RenewableAdminToken:
    def get(self, case, context):
        return CREDENTIAL.current()

    def set(self, case, data, context):
        case.headers = case.headers or {}
        case.headers["Authorization"] = f"Bearer {data}"


@schemathesis.hook
def before_call(context, case, kwargs):
    headers = case.headers or {}
    sent = CREDENTIAL.is_ours(headers.get("Authorization"))
    if sent is not None:
        live = CREDENTIAL.current()
        if sent != live:
            headers["Authorization"] = f"Bearer {live}"


def _path_id(case, name: str) -> str | None:
    value = (case.path_parameters or {}).get(name)
    return str(value).lower() if value is not None else None


@schemathesis.hook
def after_call(context, case, response):
    if not 200 <= response.status_code < 300:
        return
    sent = CREDENTIAL.is_ours(response.request.headers.get("Authorization"))
    if sent is None or sent != CREDENTIAL.secret:
        return
    method, path = case.method.upper(), case.operation.path
    if (method, path) in {("DELETE", "/tokens/{token_id}"), ("POST", "/tokens/{token_id}/regenerate")}:
        if _path_id(case, "token_id") == CREDENTIAL.token_id:
            CREDENTIAL.destroyed()
    elif (method, path) == ("DELETE", "/users/{user_id}"):
        if _path_id(case, "user_id") == CREDENTIAL.user_id:
            CREDENTIAL.destroyed()


@schemathesis.check
def live_credential_accepted(ctx, response, case):
    """A request that carried the run's live admin credential is never a 401."""
    if response.status_code != 401:
        return None
    sent = CREDENTIAL.is_ours(response.request.headers.get("Authorization"))
    if sent is not None and sent == CREDENTIAL.secret:
        raise AssertionError(
            "A live credential was refused: this request carried a full-access admin token "
            "that nothing in the run had deleted, regenerated or deactivated, and got a 401."
        )
    return None
