// The console's only way to the server: the public /v1 API, with the
// pasted token from this tab's sessionStorage. Nothing else is stored.

const storageKey = "tessera.token";

/** The signed-in token of this tab, kept in sessionStorage only. */
export const session = {
  get token() { return sessionStorage.getItem(storageKey); },
  signIn(token) { sessionStorage.setItem(storageKey, token); },
  signOut() { sessionStorage.removeItem(storageKey); },
};

/** An answer of the API outside 2xx, in its published error format. */
export class APIError extends Error {
  constructor(status, body, correlationId) {
    super(body && typeof body.message === "string" ? body.message : `The server answered ${status}.`);
    this.status = status;
    this.code = body && body.error ? body.error : "http_" + status;
    this.correlationId = (body && body.correlationId) || correlationId || "";
    this.fieldErrors = (body && Array.isArray(body.errors)) ? body.errors : [];
  }
}

/** `?a=1&b=2` from an object, leaving out empty values. */
export function query(parameters) {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(parameters)) {
    if (value !== undefined && value !== null && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text ? "?" + text : "";
}

/**
 * Calls `method /v1{path}` with the session's token (or `token`) and a JSON
 * body; resolves to the parsed answer, rejects with an APIError.
 */
export async function call(method, path, body, token = session.token) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = "Bearer " + token;
  const init = { method, headers, cache: "no-store", credentials: "omit", referrerPolicy: "no-referrer" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  let response;
  try {
    response = await fetch("/v1" + path, init);
  } catch (failure) {
    throw new APIError(0, { error: "network", message: "The server could not be reached." });
  }
  const text = await response.text();
  let parsed = null;
  if (text) {
    try { parsed = JSON.parse(text); } catch (failure) { parsed = null; }
  }
  if (!response.ok) throw new APIError(response.status, parsed, response.headers.get("X-Correlation-ID"));
  return parsed;
}

/** Every result of a list operation, following `next` for at most `limit` items. */
export async function all(path, parameters = {}, limit = 5000) {
  const results = [];
  let cursor = "";
  do {
    const page = await call("GET", path + query({ ...parameters, page_size: 1000, cursor }));
    results.push(...page.results);
    cursor = page.next || "";
  } while (cursor && results.length < limit);
  return results;
}
