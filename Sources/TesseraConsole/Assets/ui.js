// Small DOM helpers: elements built with textContent (never innerHTML, so
// no value from the API is ever parsed as markup), dates, errors, dialogs.

/** An element: `h("a", { href: "#/x", class: "y" }, "text", child)`. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on") && typeof value === "function") element.addEventListener(name.slice(2), value);
    else if (name === "class") element.className = value;
    else if (value === true) element.setAttribute(name, "");
    else element.setAttribute(name, String(value));
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

/** A timestamp in the browser's time zone, its UTC value on hover; "never" for null. */
export function time(iso, none = "never") {
  if (!iso) return h("span", { class: "hint" }, none);
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return h("span", {}, iso);
  const utc = date.toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC").replace(/Z$/, " UTC");
  return h("time", { datetime: iso, title: utc }, localFormat.format(date));
}

/** What the API said when it refused: its message, code and correlation id. */
export function errorNotice(error) {
  const box = h("div", { class: "notice error", role: "alert" },
    h("strong", {}, error.message || String(error)));
  if (error.fieldErrors && error.fieldErrors.length) {
    box.append(h("ul", {}, error.fieldErrors.map((f) => h("li", {}, `${f.field}: ${f.message}`))));
  }
  if (error.status !== undefined) {
    box.append(h("div", { class: "correlation" },
      `${error.status} ${error.code}`, error.correlationId ? ` · correlation id ${error.correlationId}` : ""));
  }
  return box;
}

/** A success message, announced to screen readers. */
export function okNotice(text) {
  return h("div", { class: "notice ok", role: "status" }, text);
}

/** A labelled control: `field("Label", input, "hint")`. */
export function field(label, control, hint) {
  const id = control.id || ("f-" + Math.random().toString(36).slice(2, 9));
  control.id = id;
  const hintNode = hint ? h("span", { class: "hint", id: id + "-hint" }, hint) : null;
  if (hintNode) control.setAttribute("aria-describedby", id + "-hint");
  return h("div", { class: "field" }, h("label", { for: id }, h("span", {}, label)), control, hintNode);
}

/** A table that becomes one card per row at phone width. */
export function table(caption, headings, rows, empty = "Nothing here yet.") {
  const body = rows.length
    ? rows.map((cells) => h("tr", {}, cells.map((cell, index) => h("td", { "data-label": headings[index] }, cell))))
    : [h("tr", {}, h("td", { colspan: headings.length, class: "empty" }, empty))];
  return h("div", { class: "table-wrap" },
    h("table", { class: "cards" }, h("caption", { class: "visually-hidden" }, caption),
      h("thead", {}, h("tr", {}, headings.map((text) => h("th", { scope: "col" }, text)))),
      h("tbody", {}, body)));
}

/**
 * A modal dialog: focus stays inside it while open (the page behind is
 * inert) and returns to what had it before. Resolves with the value of the
 * button pressed, or null for Escape / Cancel.
 */
export function dialog(title, content, buttons) {
  return new Promise((resolve) => {
    const opener = document.activeElement;
    const titleId = "dialog-" + Math.random().toString(36).slice(2, 9);
    const box = h("dialog", { "aria-labelledby": titleId },
      h("h2", { id: titleId }, title), content,
      h("div", { class: "actions" }, buttons.map((button) =>
        h("button", { type: "button", class: button.class || "", "data-value": button.value,
          onclick: () => close(button.value) }, button.label))));
    function close(value) {
      box.close();
      box.remove();
      if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
      resolve(value);
    }
    box.addEventListener("cancel", (event) => { event.preventDefault(); close(null); });
    // Tab and Shift+Tab cycle inside the dialog, never out of it.
    box.addEventListener("keydown", (event) => {
      if (event.key !== "Tab") return;
      const focusable = [...box.querySelectorAll("button, input, select, textarea, a[href]")].filter((e) => !e.disabled);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (event.shiftKey && document.activeElement === first) { event.preventDefault(); last.focus(); }
      else if (!event.shiftKey && document.activeElement === last) { event.preventDefault(); first.focus(); }
    });
    document.body.append(box);
    box.showModal();
    const first = box.querySelector("input, select, button:not(.danger)") || box.querySelector("button");
    if (first) first.focus();
  });
}

/** Asks before something that cannot be undone; true when confirmed. */
export async function confirmAction(title, text, confirmLabel) {
  const value = await dialog(title, h("p", {}, text), [
    { label: "Cancel", value: "cancel", class: "secondary" },
    { label: confirmLabel, value: "confirm", class: "danger" },
  ]);
  return value === "confirm";
}

/** Says something to screen-reader users without moving focus. */
export function announce(text) {
  const region = document.getElementById("announce");
  if (region) { region.textContent = ""; setTimeout(() => { region.textContent = text; }, 50); }
}

/**
 * The panel that shows a new secret once: the value, a copy button, the
 * warning, and a curl line to try it. The secret lives only in this
 * element; leaving the page drops it.
 */
export function secretPanel(secret, heading) {
  const value = h("code", { class: "secret-value", id: "secret-value" }, secret);
  const status = h("span", { role: "status", class: "hint" });
  const copy = h("button", { type: "button", id: "copy-secret", onclick: async () => {
    try {
      await navigator.clipboard.writeText(secret);
      status.textContent = "Copied.";
    } catch (failure) {
      const range = document.createRange();
      range.selectNodeContents(value);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      status.textContent = "Selected: press Ctrl+C to copy.";
    }
  } }, "Copy secret");
  const curl = `curl -H "Authorization: Bearer ${secret}" ${location.origin}/v1/self`;
  return h("section", { class: "secret-panel", "aria-labelledby": "secret-heading", id: "secret-panel" },
    h("h2", { id: "secret-heading", tabindex: "-1" }, heading),
    h("p", { class: "warning" }, "Copy this secret now: it will not be shown again. Tessera keeps only a hash of it."),
    h("div", { class: "secret-line" }, value, copy, status),
    h("p", {}, "Try it:"),
    h("pre", { class: "curl" }, h("code", { id: "secret-curl" }, curl)));
}

/** "Read only" / "Full access". */
export function accessLabel(level) {
  return level === "FULL_ACCESS" ? "Full access" : level === "READ_ONLY" ? "Read only" : level;
}
