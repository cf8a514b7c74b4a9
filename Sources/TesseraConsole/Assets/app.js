// The console's shell: hash routes (ids only, never a secret), the
// navigation for the signed-in identity, and sign-out.
import { call, session } from "./api.js";
import { h, fill, errorNotice } from "./ui.js";
import { signInPage, selfPage } from "./signin.js";
import { tokensPage, tokenPage, createTokenPage } from "./tokens.js";
import { usersPage, serviceUsersPage, serviceUserPage } from "./people.js";
import { settingsPage } from "./settings.js";
import { eventsPage } from "./events.js";

const main = document.getElementById("main");
const nav = document.getElementById("nav");
const who = document.getElementById("who");

/** Who is signed in (GET /v1/self), fetched once per sign-in. */
let identity = null;
/** Counts renders, so a slow page never replaces the one that followed it. */
let generation = 0;

const routes = [
  { pattern: /^\/signin$/, page: signInPage, title: "Sign in", open: true },
  { pattern: /^\/me$/, page: selfPage, title: "Your token" },
  { pattern: /^\/tokens$/, page: tokensPage, title: "Tokens", admin: true },
  { pattern: /^\/tokens\/new$/, page: createTokenPage, title: "Create a token" },
  { pattern: /^\/tokens\/([0-9a-f-]{36})$/, page: tokenPage, title: "Token" },
  { pattern: /^\/users$/, page: usersPage, title: "Users", admin: true },
  { pattern: /^\/service-users$/, page: serviceUsersPage, title: "Service users", admin: true },
  { pattern: /^\/service-users\/([0-9a-f-]{36})$/, page: serviceUserPage, title: "Service user", admin: true },
  { pattern: /^\/events$/, page: eventsPage, title: "Audit trail", admin: true },
  { pattern: /^\/settings$/, page: settingsPage, title: "Settings" },
];

const adminLinks = [["#/tokens", "Tokens"], ["#/users", "Users"], ["#/service-users", "Service users"],
  ["#/events", "Audit trail"], ["#/settings", "Settings"], ["#/me", "Your token"]];
const memberLinks = [["#/me", "Your token"], ["#/settings", "Settings"]];

/** The route's path and its query parameters, from `#/path?a=b`. */
function location() {
  const hash = window.location.hash.replace(/^#/, "") || "/";
  const [path, search] = hash.split("?");
  return { path, parameters: new URLSearchParams(search || "") };
}

/** Goes to a route (a hash such as `#/tokens`). */
export function go(hash) {
  if (window.location.hash === hash) render();
  else window.location.hash = hash;
}

/** Forgets the token and who it was; back to sign-in. */
export function signOut() {
  session.signOut();
  identity = null;
  go("#/signin");
}

/** Remembers who signed in, then opens their first page. */
export function signedIn(self) {
  identity = self;
  go(isAdmin() ? "#/tokens" : "#/me");
}

export function isAdmin() {
  return identity !== null && identity.identity.role === "ADMIN";
}

function drawChrome(path) {
  if (!identity) {
    fill(nav);
    fill(who);
    return;
  }
  const links = isAdmin() ? adminLinks : memberLinks;
  fill(nav, h("ul", {}, links.map(([href, text]) => h("li", {},
    h("a", { href, "aria-current": path.startsWith(href.slice(1)) ? "page" : null }, text)))));
  fill(who, h("span", { id: "signed-in-as" }, `${identity.identity.name} (${identity.identity.role === "ADMIN" ? "admin" : "member"})`),
    h("button", { type: "button", class: "secondary", id: "sign-out", onclick: signOut }, "Sign out"));
}

async function render() {
  const current = ++generation;
  const { path, parameters } = location();
  if (!session.token) {
    identity = null;
    if (path !== "/signin") { go("#/signin"); return; }
  } else if (!identity) {
    try {
      identity = await call("GET", "/self");
    } catch (error) {
      if (error.status === 401) { session.signOut(); go("#/signin"); return; }
      fill(main, h("h1", {}, "Tessera console"), errorNotice(error));
      return;
    }
  }
  if (path === "/" || (identity && path === "/signin")) {
    go(identity ? (isAdmin() ? "#/tokens" : "#/me") : "#/signin");
    return;
  }
  drawChrome(path);
  let match = null;
  const route = routes.find((candidate) => (match = candidate.pattern.exec(path)));
  if (!route) {
    document.title = "Not found · Tessera console";
    fill(main, h("h1", {}, "Not found"), h("p", {}, "No page of the console has this address. ",
      h("a", { href: "#/" }, "Go to the start")));
    main.focus();
    return;
  }
  document.title = `${route.title} · Tessera console`;
  fill(main, h("p", { class: "hint" }, "Loading…"));
  const context = { identity, isAdmin: isAdmin(), parameters, go, signedIn, signOut };
  // The page is drawn into its own view, shown only if no later render began.
  const view = h("div", { class: "view", tabindex: "-1" });
  try {
    if (route.admin && !context.isAdmin) {
      fill(view, h("h1", {}, route.title),
        h("div", { class: "notice error", role: "alert" }, "This page is for admins; your token cannot use it."));
    } else {
      await route.page(view, context, ...match.slice(1));
    }
  } catch (error) {
    fill(view, h("h1", {}, route.title), errorNotice(error));
  }
  if (current !== generation) return;
  fill(main, view);
  window.scrollTo(0, 0);
  const first = view.querySelector("[data-autofocus]");
  (first || view).focus({ preventScroll: true });
}

window.addEventListener("hashchange", render);
render();
