// The organization's settings, each with what it means; admins change them.
import { call } from "./api.js";
import { h, fill, field, errorNotice, okNotice, announce } from "./ui.js";

export async function settingsPage(main, context, notice) {
  const settings = await call("GET", "/settings");
  const readOnly = !context.isAdmin;
  const message = h("div", { id: "settings-message" }, notice || null);
  const allow = h("input", { type: "checkbox", id: "setting-allow-pats", checked: settings.allow_all_users_to_create_pats, disabled: readOnly });
  const lifetime = h("input", { type: "number", id: "setting-max-lifetime", min: 1, step: 1, inputmode: "numeric",
    value: settings.max_token_lifetime_days ?? "", disabled: readOnly, placeholder: "no limit" });
  const ttl = h("input", { type: "number", id: "setting-access-ttl", min: 60, max: 86400, step: 1, inputmode: "numeric",
    value: settings.access_token_ttl_seconds, disabled: readOnly, required: true });
  const retention = h("input", { type: "number", id: "setting-retention", min: 1, step: 1, inputmode: "numeric",
    value: settings.event_retention_days ?? "", disabled: readOnly, placeholder: "keep every event" });
  const form = h("form", { class: "stack", id: "settings-form", onsubmit: async (event) => {
    event.preventDefault();
    const patch = {};
    if (allow.checked !== settings.allow_all_users_to_create_pats) patch.allow_all_users_to_create_pats = allow.checked;
    const days = lifetime.value === "" ? null : Number(lifetime.value);
    if (days !== (settings.max_token_lifetime_days ?? null)) patch.max_token_lifetime_days = days;
    if (Number(ttl.value) !== settings.access_token_ttl_seconds) patch.access_token_ttl_seconds = Number(ttl.value);
    if ("event_retention_days" in settings) {
      const keep = retention.value === "" ? null : Number(retention.value);
      if (keep !== (settings.event_retention_days ?? null)) patch.event_retention_days = keep;
    }
    if (Object.keys(patch).length === 0) { fill(message, okNotice("Nothing changed.")); return; }
    try {
      await call("PATCH", "/settings", patch);
      await settingsPage(main, context, okNotice("Settings saved."));
      announce("Settings saved.");
    } catch (error) { fill(message, errorNotice(error)); }
  } },
  h("div", { class: "field" },
    h("label", { for: "setting-allow-pats" }, allow, " Members may create and delete their own tokens"),
    h("span", { class: "hint" }, "allow_all_users_to_create_pats. Admins always may; when off, members can only use the tokens an admin gives them.")),
  field("Longest token lifetime (days)", lifetime,
    "max_token_lifetime_days. Empty means no limit. A token created without an expiry expires at the limit; asking for more is refused."),
  field("Access token lifetime (seconds)", ttl,
    "access_token_ttl_seconds, 60 to 86400. How long an access token from POST /v1/auth/token lives."),
  "event_retention_days" in settings ? field("Keep events for (days)", retention,
    "event_retention_days. Empty keeps every event; older events are deleted in small batches.") : null,
  readOnly ? h("p", { class: "hint" }, "Only admins change settings.") : h("div", {}, h("button", { type: "submit", id: "save-settings" }, "Save settings")));
  fill(main, h("h1", {}, "Settings"), message, form);
}
