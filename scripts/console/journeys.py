"""The console's journeys in headless Chromium (scripts/console-test runs this).

Each journey is a person's task done through the page, checked against the
API afterwards; every page is checked with axe-core (no serious or critical
violation) and photographed at desktop (1280 px) and phone (360 px) width.
Prints one line per journey, then `console: N of M journeys passed` and the
names of those that failed.

Environment: TESSERA_CONSOLE_BASE (http://127.0.0.1:PORT), TESSERA_ADMIN_TOKEN,
CONSOLE_SCREENSHOTS (a folder), CONSOLE_README_SCREENSHOTS (a folder for the
two the README shows; optional).
"""
import json
import os
import re
import sys
import time
import traceback
import urllib.error
import urllib.request

from selenium_axe_python import Axe
from selenium import webdriver
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException, TimeoutException
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE = os.environ["TESSERA_CONSOLE_BASE"].rstrip("/")
ADMIN = os.environ["TESSERA_ADMIN_TOKEN"]
SHOTS = os.environ.get("CONSOLE_SCREENSHOTS", "")
README_SHOTS = os.environ.get("CONSOLE_README_SCREENSHOTS", "")
WAIT = 15  # seconds, the bound of every wait
DESKTOP, PHONE = (1280, 900), (360, 780)

_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_secrets_seen = []  # every secret the page showed: none may reach a URL, a title or a log


def api(method, path, token, body=None):
    """Calls the API directly: (status, parsed body)."""
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(BASE + "/v1" + path, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    try:
        with _opener.open(request, timeout=30) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else None)
    except urllib.error.HTTPError as error:
        text = error.read()
        return error.code, (json.loads(text) if text else None)


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


class Browser:
    """One headless Chromium and the helpers the journeys share."""

    def __init__(self):
        options = Options()
        options.binary_location = os.environ.get("CHROMIUM", "/usr/bin/chromium")
        for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                         "--no-first-run", "--disable-extensions", "--lang=en-US",
                         f"--window-size={DESKTOP[0]},{DESKTOP[1]}"):
            options.add_argument(argument)
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        service = Service(executable_path=os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver"))
        self.driver = webdriver.Chrome(service=service, options=options)
        self.driver.set_page_load_timeout(WAIT)
        self.driver.set_script_timeout(60)
        self.driver.execute_cdp_cmd("Browser.grantPermissions", {
            "origin": BASE, "permissions": ["clipboardReadWrite", "clipboardSanitizedWrite"]})
        self.axe_failures = []
        self.pages_checked = []
        self.console_log = []

    def quit(self):
        try:
            self.driver.quit()
        except Exception:
            pass

    # Navigation and waiting, every wait bounded.
    def wait(self, condition, message, timeout=WAIT):
        try:
            # A page being redrawn replaces its elements: look again.
            return WebDriverWait(self.driver, timeout, ignored_exceptions=(
                NoSuchElementException, StaleElementReferenceException)).until(condition)
        except TimeoutException:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")

    def element(self, css, timeout=WAIT):
        return self.wait(EC.visibility_of_element_located((By.CSS_SELECTOR, css)), css, timeout)

    def text_in(self, css, text):
        self.wait(EC.text_to_be_present_in_element((By.CSS_SELECTOR, css), text), f"“{text}” in {css}")

    def open(self, route, ready_css):
        """Loads the console afresh (not a same-document hash change) at a route."""
        self.driver.get("about:blank")
        self.driver.get(f"{BASE}/console#{route}")
        return self.element(ready_css)

    def go(self, route, ready_css):
        """Follows a route inside the loaded page (a hash change), once the page has changed."""
        changed = self.driver.execute_script("""
            window.__before = document.getElementById('main').firstElementChild;
            if (window.location.hash === '#' + arguments[0]) return false;
            window.location.hash = arguments[0];
            return true;""", route)
        if not changed:
            return self.open(route, ready_css)
        self.wait(lambda d: d.execute_script("return document.getElementById('main').firstElementChild !== window.__before"),
                  f"the page of {route}")
        return self.element(ready_css)

    def heading(self, text):
        self.wait(lambda d: any(text in h.text for h in d.find_elements(By.TAG_NAME, "h1")), f"the heading “{text}”")

    def sign_in(self, token):
        self.signed_out()
        field = self.element("#token-input")
        field.send_keys(token)
        field.send_keys(Keys.ENTER)
        self.element("#signed-in-as")

    def signed_out(self):
        """A fresh page at sign-in with nothing in sessionStorage."""
        self.open("/signin", "#main")
        self.driver.execute_script("sessionStorage.clear()")
        self.open("/signin", "#token-input")

    def sign_out(self):
        self.driver.find_element(By.ID, "sign-out").click()
        self.element("#token-input")

    def secret_shown(self):
        secret = self.element("#secret-value").text.strip()
        expect(re.fullmatch(r"ts[psa]_[0-9A-Za-z]{38}", secret), f"the page shows no secret: {secret!r}")
        _secrets_seen.append(secret)
        self.check_secret_private(secret)
        return secret

    def check_secret_private(self, secret):
        expect(secret not in self.driver.current_url, "a secret is in the URL")
        expect(secret not in self.driver.title, "a secret is in the page title")
        for entry in self.driver.get_log("browser"):
            self.console_log.append(entry)
        expect(not any(secret in entry.get("message", "") for entry in self.console_log), "a secret is in the browser's log")

    def dialog_button(self, value):
        return self.element(f"dialog[open] button[data-value={value}]")

    # Checks of a page: axe-core, width, screenshots.
    def check_page(self, name):
        self.pages_checked.append(name)
        for width, height, suffix in ((DESKTOP[0], DESKTOP[1], "desktop"), (PHONE[0], PHONE[1], "phone")):
            self.driver.set_window_size(width, height)
            self.driver.execute_script("window.scrollTo(0, 0)")
            time.sleep(0.2)  # let the layout settle after the resize (not an assertion)
            overflow = self.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            expect(overflow <= 1, f"{name} scrolls sideways by {overflow} px at {width} px")
            if SHOTS:
                os.makedirs(SHOTS, exist_ok=True)
                self.driver.save_screenshot(os.path.join(SHOTS, f"{name}-{suffix}.png"))
            if README_SHOTS and name == "tokens":
                os.makedirs(README_SHOTS, exist_ok=True)
                self.driver.save_screenshot(os.path.join(README_SHOTS, f"tokens-{suffix}.png"))
        self.driver.set_window_size(*DESKTOP)
        axe = Axe(self.driver)
        axe.inject()
        results = axe.run()
        serious = [v for v in results["violations"] if v.get("impact") in ("serious", "critical")]
        if serious:
            self.axe_failures.append((name, serious))
            detail = "; ".join(f"{v['id']} ({v['impact']}): {len(v['nodes'])} node(s), e.g. {v['nodes'][0]['html'][:120]}"
                               for v in serious)
            raise AssertionError(f"axe-core on {name}: {detail}")


# The journeys. Each stands alone: it signs in and makes what it needs.

def journey_sign_in(browser):
    """Sign in with a pasted token, see who you are, sign out; a bad token shows the API's error."""
    browser.sign_in(ADMIN)
    browser.text_in("#signed-in-as", "Tessera Admin")
    stored = browser.driver.execute_script(
        "return [Object.keys(sessionStorage), localStorage.length, document.cookie]")
    expect(stored == [["tessera.token"], 0, ""], f"the console stores more than the token in sessionStorage: {stored}")
    browser.go("/me", "#self-facts")
    browser.text_in("#self-facts", "admin@tessera.local")
    browser.sign_out()
    expect(browser.driver.execute_script("return sessionStorage.length") == 0, "sign out left the token in sessionStorage")
    field = browser.element("#token-input")
    field.send_keys("tsp_notarealtokenatallnotarealtokenat000000")
    field.send_keys(Keys.ENTER)
    alert = browser.element("[role=alert]")
    expect("Invalid or expired authentication token" in alert.text, f"the API's message is not shown: {alert.text}")
    expect(re.search(r"correlation id [0-9a-f]{32}", alert.text), f"no correlation id in: {alert.text}")
    browser.check_page("sign-in")


def create_token_in_page(browser, label, full_access=False):
    browser.go("/tokens/new", "#create-token-form")
    browser.element("#token-label-input").send_keys(label)
    if full_access:
        browser.driver.find_element(By.ID, "access-full").click()
    browser.driver.find_element(By.ID, "create-token-submit").click()
    secret = browser.secret_shown()
    token_id = browser.element("#created-token-link").get_attribute("href").rsplit("/", 1)[-1]
    return secret, token_id


def journey_create_token(browser):
    """Create a token, read its secret from the page, use it; after a reload it is gone."""
    browser.sign_in(ADMIN)
    secret, token_id = create_token_in_page(browser, "journey: create", full_access=True)
    browser.check_page("token-created")
    status, body = api("GET", "/self", secret)
    expect(status == 200 and body["token"]["token_id"] == token_id, f"the new secret does not work: {status} {body}")
    expect(body["token"]["access_level"] == "FULL_ACCESS", "the access level chosen was not used")
    browser.driver.refresh()
    browser.element("#main h1")
    expect(secret not in browser.driver.page_source, "the secret is still on the page after a reload")
    browser.check_secret_private(secret)


def journey_relabel(browser):
    """Rename a token from its page."""
    browser.sign_in(ADMIN)
    _, token_id = create_token_in_page(browser, "journey: relabel")
    browser.go(f"/tokens/{token_id}", "#relabel-form")
    field = browser.element("#relabel-input")
    field.clear()
    field.send_keys("journey: relabelled")
    browser.driver.find_element(By.CSS_SELECTOR, "#relabel-form button[type=submit]").click()
    browser.text_in("#token-message", "Renamed")
    browser.text_in("#token-label", "journey: relabelled")
    status, body = api("GET", f"/tokens/{token_id}", ADMIN)
    expect(body["token_label"] == "journey: relabelled", f"the API still has {body['token_label']!r}")


def journey_regenerate(browser):
    """Regenerate a secret: the new one is shown once and works, the old one stops."""
    browser.sign_in(ADMIN)
    old, token_id = create_token_in_page(browser, "journey: regenerate")
    browser.go(f"/tokens/{token_id}", "#regenerate-button").click()
    browser.element("dialog[open] #grace-period")
    browser.check_page("regenerate-dialog")
    browser.dialog_button("confirm").click()
    new = browser.secret_shown()
    expect(new != old, "the same secret came back")
    expect(api("GET", "/self", new)[0] == 200, "the new secret does not work")
    expect(api("GET", "/self", old)[0] == 401, "the old secret still works")


def journey_revoke(browser):
    """Revoke a token after a confirmation that names it; the API refuses its secret at once."""
    browser.sign_in(ADMIN)
    secret, token_id = create_token_in_page(browser, "journey: revoke")
    browser.go(f"/tokens/{token_id}", "#revoke-button").click()
    dialog = browser.element("dialog[open]")
    expect("journey: revoke" in dialog.text, f"the confirmation does not name the token: {dialog.text}")
    browser.check_page("revoke-dialog")
    browser.dialog_button("confirm").click()
    browser.heading("Token revoked")
    status, body = api("GET", "/self", secret)
    expect(status == 401, f"the revoked secret still works: {status}")
    expect(api("GET", f"/tokens/{token_id}", ADMIN)[0] == 404, "the revoked token is still listed")


def journey_people(browser):
    """Create a member, deactivate another, create a service user with two keys; the third is refused."""
    browser.sign_in(ADMIN)
    browser.go("/users", "#create-user-form")
    browser.element("#user-email").send_keys("grace@example.com")
    browser.element("#user-name").send_keys("Grace Hopper")
    browser.driver.find_element(By.CSS_SELECTOR, "#create-user-form button[type=submit]").click()
    browser.text_in("#users-message", "Created Grace Hopper")
    status, body = api("GET", "/user?email=grace@example.com", ADMIN)
    expect(status == 200 and body["role"] == "MEMBER", f"the member was not created: {status} {body}")
    browser.check_page("users")
    # Deactivate, after a confirmation that names the user.
    browser.element('button[data-user="grace@example.com"]').click()
    dialog = browser.element("dialog[open]")
    expect("Grace Hopper" in dialog.text, f"the confirmation does not name the user: {dialog.text}")
    browser.dialog_button("confirm").click()
    browser.text_in("#users-message", "Deactivated Grace Hopper")
    expect(api("GET", "/user?email=grace@example.com", ADMIN)[1].get("deactivated_at"), "the user is not deactivated")
    # A service user and its keys.
    browser.go("/service-users", "#create-service-user-form")
    browser.element("#service-name").send_keys("ci-runner")
    browser.element("#service-description").send_keys("deploys from CI")
    browser.driver.find_element(By.CSS_SELECTOR, "#create-service-user-form button[type=submit]").click()
    browser.heading("Service user ci-runner")
    service_id = browser.driver.current_url.rsplit("/", 1)[-1]
    keys = []
    for index in (1, 2):
        browser.element("#key-label").send_keys(f"ci key {index}")
        browser.driver.find_element(By.CSS_SELECTOR, "#create-key-form button[type=submit]").click()
        browser.text_in("#secret-heading", f"ci key {index}")
        keys.append(browser.secret_shown())
    browser.check_page("service-user")
    for key in keys:
        status, body = api("GET", "/self", key)
        expect(status == 200 and body["identity"]["user_id"] == service_id, f"a key does not work: {status} {body}")
    browser.element("#key-label").send_keys("ci key 3")
    browser.driver.find_element(By.CSS_SELECTOR, "#create-key-form button[type=submit]").click()
    alert = browser.element("#service-user-message [role=alert]")
    expected = api("POST", "/tokens", ADMIN, {"token_label": "probe", "access_level": "READ_ONLY", "user_id": service_id})
    expect(expected[0] == 409, f"the API took a third key: {expected}")
    expect(expected[1]["message"] in alert.text and "409 conflict" in alert.text,
           f"the third key's refusal is not the API's message: {alert.text!r} vs {expected[1]['message']!r}")
    browser.go("/service-users", "#create-service-user-form")
    browser.check_page("service-users")


def journey_settings(browser):
    """Change a setting; the create page then applies the lifetime limit."""
    browser.sign_in(ADMIN)
    try:
        browser.go("/settings", "#settings-form")
        browser.check_page("settings")
        field = browser.element("#setting-max-lifetime")
        field.clear()
        field.send_keys("30")
        browser.driver.find_element(By.ID, "save-settings").click()
        browser.text_in("#settings-message", "Settings saved")
        status, body = api("GET", "/settings", ADMIN)
        expect(body["max_token_lifetime_days"] == 30, f"the setting was not saved: {body}")
        browser.go("/tokens/new", "#expiry-select")
        options = {o.get_attribute("value"): o for o in Select(browser.element("#expiry-select")).options}
        expect(not options["90"].is_enabled() and not options["never"].is_enabled() and options["30"].is_enabled(),
               "the create page does not apply the 30-day limit")
    finally:
        api("PATCH", "/settings", ADMIN, {"max_token_lifetime_days": None})


def journey_audit(browser):
    """Find a token's events with the audit trail's filters: who, which token, from where, what."""
    status, created = api("POST", "/tokens", ADMIN, {"token_label": "journey: audit", "access_level": "READ_ONLY"})
    token_id = created["token"]["token_id"]
    api("PATCH", f"/tokens/{token_id}", ADMIN, {"token_label": "journey: audited"})
    api("POST", f"/tokens/{token_id}/regenerate", ADMIN, {})
    browser.sign_in(ADMIN)
    browser.go("/events", "#events-filter")
    browser.element("#filter-object").send_keys(token_id)
    browser.driver.find_element(By.ID, "apply-filter").click()
    browser.text_in("#event-count", "3 events")
    table = browser.element("#event-list").text
    for text in ("Token created", "Token relabelled", "Token regenerated", "Tessera Admin", "127.0.0.1"):
        expect(text in table, f"the filtered audit trail lacks {text!r}: {table}")
    Select(browser.element("#filter-type")).select_by_value("API_TOKEN_REGENERATED")
    browser.driver.find_element(By.ID, "apply-filter").click()
    browser.text_in("#event-count", "1 event")
    expect("Token created" not in browser.element("#event-list").text, "the type filter did not apply")
    browser.go("/events", "#event-list")
    browser.text_in("#event-count", "events")
    browser.check_page("audit-trail")
    browser.go(f"/tokens/{token_id}", "#token-events")
    browser.text_in("#token-events", "Token regenerated")
    browser.check_page("token")


def journey_member(browser):
    """A member sees their own token and no admin page."""
    status, user = api("POST", "/users", ADMIN, {"email": "ada@example.com", "full_name": "Ada Lovelace", "role": "MEMBER"})
    status, created = api("POST", "/tokens", ADMIN, {"token_label": "ada laptop", "access_level": "FULL_ACCESS",
                                                      "user_id": user["user_id"]})
    browser.sign_in(created["secret"])
    browser.heading("Your token")
    browser.text_in("#self-facts", "Ada Lovelace")
    links = [a.text for a in browser.driver.find_elements(By.CSS_SELECTOR, "#nav a")]
    expect(links == ["Your token", "Settings"], f"a member's navigation offers {links}")
    browser.check_page("member-self")
    for route in ("/tokens", "/users", "/service-users", "/events"):
        browser.go(route, "#main [role=alert]")
        expect("for admins" in browser.element("#main [role=alert]").text, f"{route} is open to a member")
        expect(not browser.driver.find_elements(By.CSS_SELECTOR, "#main table"), f"{route} shows a table to a member")
    browser.go("/settings", "#settings-form")
    expect(not browser.element("#setting-max-lifetime").is_enabled(), "a member may edit the settings")
    expect(not browser.driver.find_elements(By.ID, "save-settings"), "a member sees a save button")
    browser.go("/tokens/new", "#main [role=alert]")
    browser.text_in("#main [role=alert]", "only admins create tokens")


def press_tab_until(browser, element_id, limit=60):
    actions = webdriver.ActionChains(browser.driver)
    for _ in range(limit):
        active = browser.driver.switch_to.active_element
        if active.get_attribute("id") == element_id:
            return active
        actions.send_keys(Keys.TAB).perform()
    raise AssertionError(f"#{element_id} was not reached with {limit} presses of Tab")


def focus_ring(browser):
    return browser.driver.execute_script(
        "const s = getComputedStyle(document.activeElement); return s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2")


def journey_keyboard(browser):
    """Keyboard only: sign in, create a full-access token, copy its secret; a dialog traps and returns focus."""
    driver = browser.driver
    browser.signed_out()
    keys = webdriver.ActionChains(driver)
    expect(driver.switch_to.active_element.get_attribute("id") == "token-input", "sign-in does not start in the token field")
    keys.send_keys(ADMIN + Keys.ENTER).perform()
    browser.element("#token-list")
    press_tab_until(browser, "create-token-link")
    expect(focus_ring(browser), "the focused link shows no focus ring")
    keys.send_keys(Keys.ENTER).perform()
    browser.element("#create-token-form")
    expect(driver.switch_to.active_element.get_attribute("id") == "token-label-input", "creation does not start in the label")
    keys.send_keys("journey: keyboard").perform()
    keys.send_keys(Keys.TAB).perform()
    expect(driver.switch_to.active_element.get_attribute("id") == "access-read", "Tab does not reach the access level next")
    keys.send_keys(Keys.ARROW_DOWN).perform()
    press_tab_until(browser, "create-token-submit")
    expect(focus_ring(browser), "the focused button shows no focus ring")
    keys.send_keys(Keys.ENTER).perform()
    secret = browser.secret_shown()
    expect(driver.switch_to.active_element.get_attribute("id") == "secret-heading", "focus does not move to the new secret")
    keys.send_keys(Keys.TAB).perform()
    expect(driver.switch_to.active_element.get_attribute("id") == "copy-secret", "Tab does not reach the copy button next")
    keys.send_keys(Keys.ENTER).perform()
    browser.wait(lambda d: d.find_element(By.CSS_SELECTOR, "#secret-panel [role=status]").text.strip(), "the copy button's answer")
    status, body = api("GET", "/self", secret)
    expect(status == 200 and body["token"]["access_level"] == "FULL_ACCESS" and body["token"]["token_label"] == "journey: keyboard",
           f"the keyboard-made token is not what was typed: {status} {body}")
    # A dialog keeps focus inside while open and gives it back when closed.
    token_id = body["token"]["token_id"]
    browser.go(f"/tokens/{token_id}", "#revoke-button")
    press_tab_until(browser, "revoke-button")
    keys.send_keys(Keys.ENTER).perform()
    browser.element("dialog[open]")
    for _ in range(6):
        keys.send_keys(Keys.TAB).perform()
        inside = driver.execute_script("return !!document.activeElement.closest('dialog[open]')")
        expect(inside, "Tab left the open dialog")
    keys.send_keys(Keys.ESCAPE).perform()
    browser.wait(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"), "the dialog to close")
    expect(driver.switch_to.active_element.get_attribute("id") == "revoke-button", "focus did not return to the button")
    expect(api("GET", "/self", secret)[0] == 200, "Escape revoked the token")


def journey_pages(browser):
    """Every other page, at both widths and at 200% zoom (640 CSS px): axe-core, no sideways scrolling."""
    for index in range(3):
        api("POST", "/tokens", ADMIN, {"token_label": f"deploy {index}", "access_level": "READ_ONLY"})
    browser.sign_in(ADMIN)
    browser.go("/tokens", "#token-list table")
    browser.text_in("#token-count", "tokens")
    first = browser.element("#token-list tbody tr td a").text
    expect(first == "deploy 2", f"the list does not start with the newest token: {first!r}")
    browser.check_page("tokens")
    browser.go("/tokens/new", "#create-token-form")
    browser.check_page("create-token")
    browser.go("/me", "#self-facts")
    browser.check_page("self")
    # 200% zoom of a 1280 px window: a 640 px wide layout at twice the pixels.
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                   {"width": 640, "height": 450, "deviceScaleFactor": 2, "mobile": False})
    try:
        for route, ready in (("/tokens", "#token-list table"), ("/events", "#event-list table"), ("/settings", "#settings-form")):
            browser.go(route, ready)
            overflow = browser.driver.execute_script(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            expect(overflow <= 1, f"{route} scrolls sideways by {overflow} px at 200% zoom")
    finally:
        browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


JOURNEYS = [
    ("sign in", journey_sign_in),
    ("create a token", journey_create_token),
    ("relabel", journey_relabel),
    ("regenerate", journey_regenerate),
    ("revoke", journey_revoke),
    ("member and service user", journey_people),
    ("change a setting", journey_settings),
    ("audit trail filters", journey_audit),
    ("member sees no admin page", journey_member),
    ("keyboard-only creation", journey_keyboard),
    ("every page: axe, phone, zoom", journey_pages),
]


def main():
    wanted = set(sys.argv[1:])
    browser = Browser()
    failed = []
    ran = 0
    try:
        for name, journey in JOURNEYS:
            if wanted and name not in wanted:
                continue
            ran += 1
            start = time.monotonic()
            try:
                journey(browser)
                print(f"ok    {name} ({time.monotonic() - start:.1f} s)", flush=True)
            except Exception as error:
                failed.append(name)
                print(f"FAIL  {name} ({time.monotonic() - start:.1f} s): {error}", flush=True)
                if not isinstance(error, AssertionError):
                    traceback.print_exc()
                if SHOTS:
                    os.makedirs(SHOTS, exist_ok=True)
                    browser.driver.save_screenshot(os.path.join(SHOTS, f"FAILED-{name.replace(' ', '-')}.png"))
        # No secret shown during the run may have reached the browser's log.
        for entry in browser.driver.get_log("browser"):
            browser.console_log.append(entry)
        leaked = [s for s in _secrets_seen if any(s in e.get("message", "") for e in browser.console_log)]
        ran += 1
        if leaked:
            failed.append("no secret in the browser's log")
            print("FAIL  no secret in the browser's log", flush=True)
        else:
            print(f"ok    no secret in the browser's log ({len(_secrets_seen)} secrets shown)", flush=True)
        # The policy forbids nothing the console does, and no script failed.
        broken = [e["message"] for e in browser.console_log
                  if "Content Security Policy" in e.get("message", "") or "Uncaught" in e.get("message", "")]
        ran += 1
        if broken:
            failed.append("no script error or policy violation")
            print("FAIL  no script error or policy violation: " + " | ".join(broken[:5]), flush=True)
        else:
            print("ok    no script error or policy violation", flush=True)
    finally:
        browser.quit()
    print(f"pages checked with axe-core at 1280 and 360 px: {', '.join(browser.pages_checked)}")
    print(f"console: {ran - len(failed)} of {ran} journeys passed")
    if failed:
        print("console failed: " + "; ".join(failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
