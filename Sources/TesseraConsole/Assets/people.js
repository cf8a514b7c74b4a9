// Users and service users: lists, creation, deactivation, a service
// user's keys (at most 2 live ones; the API refuses a third).
import { call, all, query } from "./api.js";
import { h, fill, field, table, time, errorNotice, okNotice, confirmAction, secretPanel, accessLabel, announce } from "./ui.js";

function roleSelect(id) {
  return h("select", { id, name: "role" }, h("option", { value: "MEMBER" }, "Member"), h("option", { value: "ADMIN" }, "Admin"));
}

export async function usersPage(main, context, notice) {
  const users = await all("/users");
  const message = h("div", { id: "users-message" }, notice || null);
  const email = h("input", { type: "email", id: "user-email", name: "email", required: true, autocomplete: "off" });
  const name = h("input", { type: "text", id: "user-name", name: "full_name", required: true, autocomplete: "off" });
  const role = roleSelect("user-role");
  const form = h("form", { class: "stack", id: "create-user-form", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const user = await call("POST", "/users", { email: email.value, full_name: name.value, role: role.value });
      await usersPage(main, context, okNotice(`Created ${user.full_name} (${user.email}).`));
      announce(`Created ${user.full_name}.`);
    } catch (error) { fill(message, errorNotice(error)); }
  } }, field("Email", email), field("Full name", name), field("Role", role, "Admins manage tokens, users and settings; members manage their own tokens when allowed."),
  h("div", {}, h("button", { type: "submit" }, "Create user")));
  async function deactivate(user) {
    if (!await confirmAction(`Deactivate ${user.full_name}?`,
      `${user.full_name} (${user.email}) can no longer sign in: every token of theirs stops working at once. They stay listed.`,
      "Deactivate user")) return;
    try {
      await call("DELETE", `/users/${user.user_id}`);
      await usersPage(main, context, okNotice(`Deactivated ${user.full_name}.`));
    } catch (error) { fill(message, errorNotice(error)); }
  }
  const rows = users.map((user) => [
    user.full_name, user.email, user.role === "ADMIN" ? "Admin" : "Member", time(user.created_at),
    user.deactivated_at ? h("span", {}, "Deactivated ", time(user.deactivated_at)) : "Active",
    h("span", { class: "actions" },
      h("a", { href: `#/tokens?user=${user.user_id}` }, "Tokens"),
      user.deactivated_at || user.user_id === context.identity.identity.user_id ? null
        : h("button", { type: "button", class: "danger", "data-user": user.email, onclick: () => deactivate(user) },
          "Deactivate", h("span", { class: "visually-hidden" }, " " + user.full_name))),
  ]);
  fill(main, h("h1", {}, "Users"), message,
    table("Users", ["Name", "Email", "Role", "Created", "Status", "Actions"], rows),
    h("h2", {}, "Create a user"), form);
}

export async function serviceUsersPage(main, context, notice) {
  const services = await all("/service-users");
  const message = h("div", { id: "service-users-message" }, notice || null);
  const name = h("input", { type: "text", id: "service-name", name: "name", required: true, autocomplete: "off" });
  const description = h("input", { type: "text", id: "service-description", name: "description", autocomplete: "off" });
  const role = roleSelect("service-role");
  const form = h("form", { class: "stack", id: "create-service-user-form", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const body = { name: name.value, role: role.value };
      if (description.value) body.description = description.value;
      const service = await call("POST", "/service-users", body);
      context.go(`#/service-users/${service.user_id}`);
    } catch (error) { fill(message, errorNotice(error)); }
  } }, field("Name", name), field("Description", description, "Optional: what runs with it."),
  field("Role", role, "Its keys act with this role."),
  h("div", {}, h("button", { type: "submit" }, "Create service user")));
  const rows = services.map((service) => [
    h("a", { href: `#/service-users/${service.user_id}` }, service.name), service.description || "—",
    service.role === "ADMIN" ? "Admin" : "Member", time(service.created_at),
  ]);
  fill(main, h("h1", {}, "Service users"), message,
    h("p", { class: "hint" }, "Machines that call the API with keys (tss_…); each holds at most 2 live keys, so one can be rotated while the other works."),
    table("Service users", ["Name", "Description", "Role", "Created"], rows),
    h("h2", {}, "Create a service user"), form);
}

export async function serviceUserPage(main, context, userId) {
  const service = await call("GET", `/service-users/${userId}`);
  const keys = (await call("GET", "/tokens" + query({ user_id: userId, page_size: 50 }))).results;
  const message = h("div", { id: "service-user-message" });
  const result = h("div", { id: "create-result" });
  const label = h("input", { type: "text", id: "key-label", name: "token_label", required: true, autocomplete: "off" });
  const access = h("select", { id: "key-access", name: "access_level" },
    h("option", { value: "FULL_ACCESS" }, "Full access"), h("option", { value: "READ_ONLY" }, "Read only"));
  const form = h("form", { class: "row", id: "create-key-form", onsubmit: async (event) => {
    event.preventDefault();
    try {
      const created = await call("POST", "/tokens", { token_label: label.value, access_level: access.value, user_id: userId });
      await serviceUserPage(main, context, userId);
      fill(document.getElementById("create-result"), secretPanel(created.secret, `Key “${created.token.token_label}” created`));
      document.getElementById("secret-heading").focus();
      announce("Key created. Its secret is shown once: copy it now.");
    } catch (error) {
      fill(message, errorNotice(error));
      message.firstChild.setAttribute("tabindex", "-1");
      message.firstChild.focus();
    }
  } }, field("Key label", label), field("Access", access), h("button", { type: "submit" }, "Create key"));
  async function remove() {
    if (!await confirmAction(`Delete ${service.name}?`,
      `The service user ${service.name} and its ${keys.length} key${keys.length === 1 ? "" : "s"} stop working at once, and it is deleted.`,
      "Delete service user")) return;
    try {
      await call("DELETE", `/service-users/${userId}`);
      const { serviceUsersPage: list } = await import("./people.js");
      window.history.replaceState(null, "", "#/service-users");
      await list(main, context, okNotice(`Deleted ${service.name}.`));
    } catch (error) { fill(message, errorNotice(error)); }
  }
  const rows = keys.map((key) => [
    h("a", { href: `#/tokens/${key.token_id}` }, key.token_label), service.name, accessLabel(key.access_level),
    time(key.created_at), time(key.last_used_at, "never"), time(key.expires_at, "never"),
  ]);
  fill(main, h("h1", {}, `Service user ${service.name}`), message, result,
    h("dl", { class: "facts" },
      h("dt", {}, "Description"), h("dd", {}, service.description || "—"),
      h("dt", {}, "Role"), h("dd", {}, service.role === "ADMIN" ? "Admin" : "Member"),
      h("dt", {}, "Created"), h("dd", {}, time(service.created_at))),
    h("h2", {}, `Keys (${keys.length} of at most 2 live)`),
    table("Keys", ["Label", "Owner", "Access", "Created", "Last used", "Expires"], rows, "No keys yet."),
    h("h2", {}, "Create a key"), form,
    h("h2", {}, "Delete"),
    h("div", { class: "actions" }, h("button", { type: "button", class: "danger", id: "delete-service-user", onclick: remove }, "Delete service user…")));
}
