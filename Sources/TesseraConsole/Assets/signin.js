// Sign in with a pasted token, and the "your token" page.
import { call, session } from "./api.js";
import { h, fill, field, errorNotice, time, accessLabel } from "./ui.js";

export async function signInPage(main, context) {
  const input = h("input", { type: "password", id: "token-input", name: "token", autocomplete: "off",
    spellcheck: "false", required: true, "data-autofocus": true });
  const message = h("div");
  const form = h("form", { class: "stack", id: "sign-in-form", onsubmit: async (event) => {
    event.preventDefault();
    const token = input.value.trim();
    if (!token) return;
    fill(message);
    try {
      const self = await call("GET", "/self", undefined, token);
      session.signIn(token);
      input.value = "";
      context.signedIn(self);
    } catch (error) {
      fill(message, errorNotice(error));
      input.focus();
    }
  } },
  field("API token", input, "Paste a Tessera token (tsp_…, tss_… or tsa_…). It stays in this tab only, until you sign out or close it."),
  h("div", {}, h("button", { type: "submit" }, "Sign in")));
  fill(main, h("h1", {}, "Sign in to Tessera"), message, form);
}

export async function selfPage(main, context) {
  const self = context.identity;
  const token = self.token;
  const facts = h("dl", { class: "facts", id: "self-facts" },
    h("dt", {}, "Name"), h("dd", {}, self.identity.name),
    h("dt", {}, "Email"), h("dd", {}, self.identity.email || "—"),
    h("dt", {}, "Kind"), h("dd", {}, self.identity.type === "SERVICE_USER" ? "Service user" : "Person"),
    h("dt", {}, "Role"), h("dd", {}, self.identity.role === "ADMIN" ? "Admin" : "Member"),
    h("dt", {}, "Token"), h("dd", {}, h("a", { href: `#/tokens/${token.token_id}` }, token.token_label),
      " ", h("code", {}, "…" + token.token_preview)),
    h("dt", {}, "Access"), h("dd", {}, accessLabel(token.access_level)),
    h("dt", {}, "Expires"), h("dd", {}, time(token.expires_at, "never")));
  const settings = await call("GET", "/settings").catch(() => null);
  const canCreate = context.isAdmin || (settings && settings.allow_all_users_to_create_pats);
  fill(main, h("h1", {}, "Your token"), facts,
    canCreate ? h("p", {}, h("a", { href: "#/tokens/new", id: "create-token-link" }, "Create a token"))
      : h("p", { class: "hint" }, "Your organization lets only admins create tokens."));
}
