// The audit trail: every change, newest first, with the filters of GET /v1/events.
import { call, all, query } from "./api.js";
import { h, fill, field, table, time } from "./ui.js";

const eventTypes = {
  API_TOKEN_CREATED: "Token created", API_TOKEN_UPDATED: "Token relabelled", API_TOKEN_DELETED: "Token revoked",
  API_TOKEN_REGENERATED: "Token regenerated", API_TOKEN_REVOKED: "Token revoked by its secret's holder",
  API_TOKEN_LEAKED: "Token leaked (secret scanning)", ACCESS_TOKEN_ISSUED: "Access token issued",
  USERS_CREATED: "User created", USER_DEACTIVATED: "User deactivated", SERVICE_USER_CREATED: "Service user created",
  SERVICE_USER_DELETED: "Service user deleted", SETTINGS_UPDATED: "Settings changed",
};

/** A table of events: when, what, who, with which token, from where. */
export function eventTable(events, caption) {
  const rows = events.map((event) => [
    time(event.created_at),
    h("span", {}, eventTypes[event.event_type] || event.event_type, " ", h("code", { class: "hint" }, event.event_type),
      event.detail ? h("div", { class: "hint" }, event.detail) : null),
    h("span", {}, event.actor_name || "—", event.actor_email ? h("div", { class: "hint" }, event.actor_email) : null),
    event.api_token_name ? h("span", {}, event.api_token_name, " ", h("code", {}, "…" + (event.api_token_preview || ""))) : "—",
    event.actor_ip_address || "—",
  ]);
  return table(caption, ["When", "What", "Who", "With token", "From"], rows, "No events match.");
}

export async function eventsPage(main, context) {
  const parameters = context.parameters;
  const users = await all("/users").catch(() => []);
  const start = h("input", { type: "date", id: "filter-start", name: "start", value: parameters.get("start") || "" });
  const end = h("input", { type: "date", id: "filter-end", name: "end", value: parameters.get("end") || "" });
  const actor = h("select", { id: "filter-actor", name: "actor" }, h("option", { value: "" }, "Anyone"),
    users.map((user) => h("option", { value: user.user_id, selected: user.user_id === parameters.get("actor") }, user.full_name || user.email)));
  const type = h("select", { id: "filter-type", name: "type" }, h("option", { value: "" }, "Any"),
    Object.entries(eventTypes).map(([value, text]) => h("option", { value, selected: value === parameters.get("type") }, text)));
  const object = h("input", { type: "text", id: "filter-object", name: "object", value: parameters.get("object") || "",
    autocomplete: "off", spellcheck: "false", pattern: "[0-9a-fA-F\\-]{36}" });
  const token = h("input", { type: "text", id: "filter-token", name: "token", value: parameters.get("token") || "",
    autocomplete: "off", spellcheck: "false" });
  const form = h("form", { class: "row", id: "events-filter", onsubmit: (event) => {
    event.preventDefault();
    const search = new URLSearchParams();
    for (const [name, control] of [["start", start], ["end", end], ["actor", actor], ["type", type], ["object", object], ["token", token]]) {
      if (control.value.trim()) search.set(name, control.value.trim());
    }
    const text = search.toString();
    context.go("#/events" + (text ? "?" + text : ""));
  } },
  field("From", start), field("Until", end), field("Who", actor), field("What", type),
  field("Object id", object, "A token's or user's id."),
  field("Acting token", token, "LABEL:PREVIEW, e.g. deploy:a1B2c"),
  h("button", { type: "submit", class: "secondary", id: "apply-filter" }, "Filter"));
  const list = h("div", { id: "event-list" });
  const status = h("p", { class: "hint", id: "event-count", "aria-live": "polite" });
  const cursors = [""];
  let next = null;
  const previousButton = h("button", { type: "button", class: "secondary", onclick: () => { cursors.pop(); load(); } }, "Previous page");
  const nextButton = h("button", { type: "button", class: "secondary", onclick: () => { cursors.push(next); load(); } }, "Next page");
  const filters = {
    start_date_filter: parameters.get("start"), end_date_filter: parameters.get("end"),
    actor_filter: parameters.get("actor"), event_type_filter: parameters.get("type"),
    object_filter: parameters.get("object"), api_token_filter: parameters.get("token"),
  };
  async function load() {
    const page = await call("GET", "/events" + query({ ...filters, page_size: 50, cursor: cursors[cursors.length - 1] }));
    next = page.next || null;
    fill(list, eventTable(page.results, "Events, newest first"));
    previousButton.disabled = cursors.length === 1;
    nextButton.disabled = !next;
    status.textContent = `Page ${cursors.length}: ${page.results.length} event${page.results.length === 1 ? "" : "s"}, newest first.`;
  }
  fill(main, h("h1", {}, "Audit trail"), form, status, list, h("div", { class: "pager" }, previousButton, nextButton));
  await load();
}
