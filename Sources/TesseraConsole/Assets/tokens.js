// Tokens: the list (admin), a token's page (relabel, regenerate, revoke,
// its events) and creation, each secret shown once.
import { call, all, query } from "./api.js";
import { h, fill, field, table, time, errorNotice, okNotice, dialog, confirmAction, secretPanel, accessLabel, announce } from "./ui.js";

const pageSize = 50;

/** Every user and service user by id (admins only), for owner names. */
export async function owners() {
  const [users, services] = await Promise.all([all("/users"), all("/service-users")]);
  const byId = new Map();
  for (const user of users) byId.set(user.user_id, { name: user.full_name || user.email, kind: "user", user });
  for (const service of services) byId.set(service.user_id, { name: service.name, kind: "service", user: service });
  return byId;
}

function ownerName(byId, userId) {
  const owner = byId.get(userId);
  return owner ? (owner.kind === "service" ? `${owner.name} (service)` : owner.name) : userId;
}

/** Rows of tokens for `table`. */
export function tokenRows(tokens, byId) {
  return tokens.map((token) => [
    h("a", { href: `#/tokens/${token.token_id}` }, token.token_label),
    ownerName(byId, token.user_id),
    accessLabel(token.access_level),
    time(token.created_at),
    time(token.last_used_at, "never"),
    time(token.expires_at, "never"),
  ]);
}

export const tokenHeadings = ["Label", "Owner", "Access", "Created", "Last used", "Expires"];

export async function tokensPage(main, context) {
  const byId = await owners();
  const userFilter = context.parameters.get("user") || "";
  const select = h("select", { id: "user-filter", name: "user" },
    h("option", { value: "" }, "Everyone"),
    [...byId.entries()].sort((a, b) => a[1].name.localeCompare(b[1].name)).map(([id, owner]) =>
      h("option", { value: id, selected: id === userFilter }, owner.kind === "service" ? `${owner.name} (service)` : owner.name)));
  const filter = h("form", { class: "row", id: "token-filter", onsubmit: (event) => {
    event.preventDefault();
    context.go("#/tokens" + (select.value ? "?user=" + encodeURIComponent(select.value) : ""));
  } }, field("Owner", select), h("button", { type: "submit", class: "secondary" }, "Filter"));
  const list = h("div", { id: "token-list" });
  const status = h("p", { class: "hint", id: "token-count", "aria-live": "polite" });
  const cursors = [""];
  let next = null;
  const previousButton = h("button", { type: "button", class: "secondary", id: "previous-page", onclick: () => { cursors.pop(); load(); } }, "Previous page");
  const nextButton = h("button", { type: "button", class: "secondary", id: "next-page", onclick: () => { cursors.push(next); load(); } }, "Next page");
  async function load() {
    const cursor = cursors[cursors.length - 1];
    const page = await call("GET", "/tokens" + query({ page_size: pageSize, user_id: userFilter, cursor, newest_first: true }));
    next = page.next || null;
    fill(list, table("Tokens, newest first", tokenHeadings, tokenRows(page.results, byId), "No tokens."));
    previousButton.disabled = cursors.length === 1;
    nextButton.disabled = !next;
    status.textContent = `Page ${cursors.length}: ${page.results.length} token${page.results.length === 1 ? "" : "s"}, newest first.`;
  }
  fill(main, h("h1", {}, "Tokens"),
    h("div", { class: "actions" }, h("a", { href: "#/tokens/new", id: "create-token-link" }, "Create a token")),
    filter, status, list, h("div", { class: "pager" }, previousButton, nextButton));
  await load();
}

function tokenFacts(token, owner) {
  return h("dl", { class: "facts", id: "token-facts" },
    h("dt", {}, "Label"), h("dd", { id: "token-label" }, token.token_label),
    h("dt", {}, "Owner"), h("dd", {}, owner),
    h("dt", {}, "Access"), h("dd", {}, accessLabel(token.access_level)),
    h("dt", {}, "Ends in"), h("dd", {}, h("code", {}, "…" + token.token_preview)),
    h("dt", {}, "Created"), h("dd", {}, time(token.created_at)),
    h("dt", {}, "Last used"), h("dd", {}, time(token.last_used_at, "never")),
    h("dt", {}, "Recent addresses"), h("dd", {}, (token.last_used_ips || []).join(", ") || "none"),
    h("dt", {}, "Expires"), h("dd", {}, time(token.expires_at, "never")),
    token.previous_secret_expires_at ? [h("dt", {}, "Old secret works until"), h("dd", {}, time(token.previous_secret_expires_at))] : null);
}

export async function tokenPage(main, context, tokenId) {
  const token = await call("GET", `/tokens/${tokenId}`);
  const byId = context.isAdmin ? await owners() : new Map([[context.identity.identity.user_id, { name: context.identity.identity.name, kind: "user" }]]);
  const message = h("div", { id: "token-message" });
  const secretSlot = h("div");
  const labelInput = h("input", { type: "text", id: "relabel-input", value: token.token_label, required: true, maxlength: 200 });
  const relabel = h("form", { class: "row", id: "relabel-form", onsubmit: async (event) => {
    event.preventDefault();
    try {
      await call("PATCH", `/tokens/${tokenId}`, { token_label: labelInput.value });
      await tokenPage(main, context, tokenId);
      fill(document.getElementById("token-message"), okNotice(`Renamed to “${labelInput.value}”.`));
    } catch (error) { fill(message, errorNotice(error)); }
  } }, field("New label", labelInput), h("button", { type: "submit" }, "Relabel"));

  async function regenerate() {
    const grace = h("select", { id: "grace-period" },
      h("option", { value: "0" }, "None: the old secret stops now"),
      h("option", { value: "300" }, "5 minutes"),
      h("option", { value: "3600" }, "1 hour"),
      h("option", { value: "86400" }, "24 hours"));
    const choice = await dialog(`Regenerate “${token.token_label}”?`,
      h("div", {}, h("p", {}, "A new secret replaces the old one; the token keeps its id, label, access and expiry."),
        field("Old secret keeps working for", grace)),
      [{ label: "Cancel", value: "cancel", class: "secondary" }, { label: "Regenerate", value: "confirm", class: "danger" }]);
    if (choice !== "confirm") return;
    try {
      const seconds = Number(grace.value);
      const created = await call("POST", `/tokens/${tokenId}/regenerate`, seconds ? { grace_period_seconds: seconds } : {});
      fill(secretSlot, secretPanel(created.secret, `New secret for “${created.token.token_label}”`));
      fill(message);
      document.getElementById("secret-heading").focus();
      announce("New secret shown once. Copy it now.");
    } catch (error) { fill(message, errorNotice(error)); }
  }

  async function revoke() {
    if (!await confirmAction(`Revoke “${token.token_label}”?`,
      `The token “${token.token_label}” (…${token.token_preview}) stops working at once, everywhere. This cannot be undone.`,
      "Revoke token")) return;
    try {
      await call("DELETE", `/tokens/${tokenId}`);
      fill(main, h("h1", {}, "Token revoked"),
        okNotice(`“${token.token_label}” (…${token.token_preview}) is revoked; its secret no longer works.`),
        h("p", {}, h("a", { href: context.isAdmin ? "#/tokens" : "#/me" }, context.isAdmin ? "Back to the tokens" : "Back")));
      main.focus();
    } catch (error) { fill(message, errorNotice(error)); }
  }

  const events = h("div", { id: "token-events" });
  fill(main, h("h1", {}, `Token “${token.token_label}”`), message, secretSlot,
    tokenFacts(token, ownerName(byId, token.user_id)), relabel,
    h("div", { class: "actions" },
      h("button", { type: "button", class: "secondary", id: "regenerate-button", onclick: regenerate }, "Regenerate secret…"),
      h("button", { type: "button", class: "danger", id: "revoke-button", onclick: revoke }, "Revoke…")),
    h("h2", {}, "Events"), events);
  if (context.isAdmin) {
    const page = await call("GET", "/events" + query({ object_filter: tokenId, page_size: 50 }));
    const { eventTable } = await import("./events.js");
    fill(events, eventTable(page.results, "Events of this token"));
  } else {
    fill(events, h("p", { class: "hint" }, "The audit trail is for admins."));
  }
}

/** The presets of the expiry menu, in days; null is "never". */
const presets = [[7, "7 days"], [30, "30 days"], [90, "90 days"], [365, "1 year"], [null, "Never"]];

export async function createTokenPage(main, context) {
  const settings = await call("GET", "/settings");
  if (!context.isAdmin && !settings.allow_all_users_to_create_pats) {
    fill(main, h("h1", {}, "Create a token"), h("div", { class: "notice error", role: "alert" },
      "Your organization lets only admins create tokens."));
    return;
  }
  const limit = settings.max_token_lifetime_days;
  const label = h("input", { type: "text", id: "token-label-input", name: "token_label", required: true, maxlength: 200,
    autocomplete: "off", "data-autofocus": true });
  const access = h("fieldset", {}, h("legend", {}, "Access"),
    h("label", {}, h("input", { type: "radio", name: "access_level", value: "READ_ONLY", id: "access-read", checked: true }), "Read only (GET and HEAD)"),
    h("label", {}, h("input", { type: "radio", name: "access_level", value: "FULL_ACCESS", id: "access-full" }), "Full access"));
  const expiry = h("select", { id: "expiry-select", name: "expiry" },
    presets.map(([days, text]) => {
      const allowed = limit === null || limit === undefined || (days !== null && days <= limit);
      return h("option", { value: days === null ? "never" : String(days), disabled: !allowed, selected: days === 30 && allowed },
        allowed ? text : `${text} (over the ${limit}-day limit)`);
    }),
    limit && !presets.some(([days]) => days === limit)
      ? h("option", { value: String(limit), selected: limit < 30 }, `${limit} days (the organization's limit)`) : null,
    h("option", { value: "custom" }, "On a date…"));
  const date = h("input", { type: "date", id: "expiry-date", name: "expiry_date" });
  const dateField = field("Expiry date", date, "The token expires at the start of this day, in your time zone.");
  dateField.hidden = true;
  expiry.addEventListener("change", () => { dateField.hidden = expiry.value !== "custom"; });
  let forUser = null;
  if (context.isAdmin) {
    const byId = await owners();
    const self = context.identity.identity.user_id;
    forUser = h("select", { id: "token-owner", name: "user_id" },
      h("option", { value: self }, `Yourself (${context.identity.identity.name})`),
      [...byId.entries()].filter(([id, owner]) => id !== self && !owner.user.deactivated_at)
        .sort((a, b) => a[1].name.localeCompare(b[1].name))
        .map(([id, owner]) => h("option", { value: id, selected: id === context.parameters.get("user") },
          owner.kind === "service" ? `${owner.name} (service user)` : owner.name)));
  }
  const message = h("div");
  const result = h("div", { id: "create-result" });
  const form = h("form", { class: "stack", id: "create-token-form", onsubmit: async (event) => {
    event.preventDefault();
    const body = { token_label: label.value, access_level: form.querySelector("input[name=access_level]:checked").value };
    if (expiry.value === "custom") {
      if (!date.value) { fill(message, errorNotice(new Error("Choose an expiry date."))); date.focus(); return; }
      body.expires_at = new Date(date.value + "T00:00:00").toISOString();
    } else if (expiry.value !== "never") {
      body.expires_at = new Date(Date.now() + Number(expiry.value) * 86400000 - 60000).toISOString();
    }
    if (forUser && forUser.value !== context.identity.identity.user_id) body.user_id = forUser.value;
    try {
      const created = await call("POST", "/tokens", body);
      fill(message);
      form.hidden = true;
      fill(result, secretPanel(created.secret, `Token “${created.token.token_label}” created`),
        h("p", {}, h("a", { href: `#/tokens/${created.token.token_id}`, id: "created-token-link" }, "Open the token"),
          " · ", h("a", { href: "#/tokens/new", onclick: (e) => { e.preventDefault(); createTokenPage(main, context); } }, "Create another")));
      document.getElementById("secret-heading").focus();
      announce("Token created. Its secret is shown once: copy it now.");
    } catch (error) {
      fill(message, errorNotice(error));
      message.querySelector("[role=alert]").setAttribute("tabindex", "-1");
      message.querySelector("[role=alert]").focus();
    }
  } },
  field("Label", label, "What the token is for, e.g. “deploy from CI”."),
  access,
  field("Expires", expiry, limit ? `Tokens may live at most ${limit} days here.` : "Your organization sets no lifetime limit."),
  dateField,
  forUser ? field("For", forUser, "Admins may issue a token to any active user or service user.") : null,
  h("div", {}, h("button", { type: "submit", id: "create-token-submit" }, "Create token")));
  fill(main, h("h1", {}, "Create a token"), message, form, result);
  if (main.isConnected) label.focus();  // "Create another", on a page already shown
}
