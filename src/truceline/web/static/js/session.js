// The session: the API token (kept in sessionStorage, gone when the tab closes), who the
// caller is, calls to the API with the token, the page header, and small DOM helpers.
// Data is always put in the page as text (never as HTML).

const TOKEN_KEY = "truceline.token";
const MESSAGES_ELEMENT = document.getElementById("ui-messages");
const MESSAGES = MESSAGES_ELEMENT ? JSON.parse(MESSAGES_ELEMENT.textContent) : {};
/** The page's language (en, uk or ru) and its locale for Intl (en-GB, uk-UA, ru-RU). */
export const LANG = MESSAGES_ELEMENT?.dataset.lang ?? "en";
export const LOCALE = MESSAGES_ELEMENT?.dataset.locale ?? "en-GB";
const PLURAL_INDEX = LANG === "en" ? { one: 0 } : { one: 0, few: 1, many: 2, other: 2 };
const PLURAL_RULES = new Intl.PluralRules(LOCALE);

function fill(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

/** A message in the page's language (from the catalogue the page embeds); {name} filled in. */
export function t(message, values = {}) {
  const text = MESSAGES[message];
  return fill(typeof text === "string" ? text : message, values);
}

/** The form of a message agreeing with ``n`` ({n} is filled in with n, formatted). */
export function tn(singular, plural, n, values = {}) {
  const forms = MESSAGES[singular];
  const index = PLURAL_INDEX[PLURAL_RULES.select(n)] ?? (LANG === "en" ? 1 : 2);
  const text = Array.isArray(forms) ? forms[Math.min(index, forms.length - 1)] : (n === 1 ? singular : plural);
  return fill(text, { n: formatNumber(n), ...values });
}

export function formatNumber(n) {
  return new Intl.NumberFormat(LOCALE).format(n);
}
const ME_KEY = "truceline.me";

export const PUBLIC = Object.freeze({ name: "public", role: "public" });
export const STAFF = ["monitor", "analyst", "commissioner"];
export const EVERY_ROLE = ["public", ...STAFF, "sensor_feed", "party_liaison", "guarantor"];
export const CASE_READERS = ["analyst", "commissioner", "party_liaison"];
export const REPORT_FILERS = ["monitor", "analyst"];
export const SENSOR_READERS = [...STAFF, "sensor_feed"];
export const REVIEWERS = ["analyst", "commissioner"];

export class ApiError extends Error {
  constructor(status, detail) {
    super(typeof detail === "string" ? detail : JSON.stringify(detail));
    this.status = status;
    this.detail = detail;
  }
}

export function getToken() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function logOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  sessionStorage.removeItem(ME_KEY);
}

/** Call the API (JSON in and out) with the session's token; refusals throw an ApiError. */
export async function api(path, { method = "GET", body, token = getToken() } = {}) {
  const headers = { Accept: "application/json" };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  const data = await response.json().catch(() => null);
  if (!response.ok) throw new ApiError(response.status, data?.detail ?? response.statusText);
  return data;
}

/** Check a token with the API and keep it for this tab; the caller is returned. */
export async function logIn(token) {
  const me = await api("/web/me", { token });
  sessionStorage.setItem(TOKEN_KEY, token);
  sessionStorage.setItem(ME_KEY, JSON.stringify(me));
  return me;
}

/** Who the session is: the public without a token; the last known caller when offline. */
export async function whoAmI() {
  if (!getToken()) return PUBLIC;
  try {
    const me = await api("/web/me");
    sessionStorage.setItem(ME_KEY, JSON.stringify(me));
    return me;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      logOut(); // revoked or unknown token: back to the public
      return PUBLIC;
    }
    const known = sessionStorage.getItem(ME_KEY);
    if (known) return JSON.parse(known);
    throw error;
  }
}

export function toLogin() {
  const next = location.pathname + location.search;
  location.replace(`/ui/login?next=${encodeURIComponent(next)}`);
}

/**
 * The caller if its role may open this page. Otherwise nothing of the page is shown: the
 * public goes to the login page, another role is told the page is not for it, and the
 * promise never settles (the page's script stops there: it reads no data).
 */
export async function admit(roles) {
  const me = await whoAmI();
  if (roles.includes(me.role)) {
    renderHeader(me);
    document.body.classList.remove("pending");
    return me;
  }
  if (me.role === "public") {
    toLogin();
    return new Promise(() => {});
  }
  renderHeader(me);
  const main = document.querySelector("main");
  main.replaceChildren(
    el("section", { class: "refused" },
      el("h1", {}, t("Not available to your role")),
      el("p", {}, t("The role {role} may not open this page.", { role: me.role })),
      el("p", {}, el("a", { href: "/ui" }, t("Back to the map")))));
  document.body.classList.remove("pending");
  document.body.dataset.refused = "true";
  return new Promise(() => {});
}

/** The header: the pages the role may open, who is logged in, log in or out. */
export function renderHeader(me) {
  const links = [["/ui", t("Map")]];
  if (CASE_READERS.includes(me.role)) links.push(["/ui/cases", t("Cases")]);
  if (REPORT_FILERS.includes(me.role)) links.push(["/ui/report", t("File a report")]);
  if (REVIEWERS.includes(me.role)) links.push(["/ui/review", t("Review")]);
  links.push(["/docs", t("API")]);
  const nav = el("nav", { "aria-label": t("Pages") },
    ...links.map(([href, text]) => el("a", {
      href, "aria-current": location.pathname === href ? "page" : null,
    }, text)));
  const who = me.role === "public"
    ? el("a", { class: "button", href: "/ui/login" }, t("Log in"))
    : el("span", { class: "who" },
      el("span", { "data-role": me.role }, `${me.name} · ${me.role}${me.party ? ` (${me.party})` : ""}`),
      el("button", { type: "button", onclick: () => { logOut(); location.assign("/ui"); } }, t("Log out")));
  const header = document.getElementById("site-header");
  const languages = languageSwitcher();
  header.replaceChildren(el("a", { class: "brand", href: "/ui" }, "Truceline"), nav, ...(languages ? [languages] : []), who);
}

/** The page's language links (rendered with the page: ?lang= on the same path). */
function languageSwitcher() {
  return document.getElementById("languages");
}

/** A DOM element with attributes (null ones left out, on* as listeners) and children. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A definition list from [term, value] pairs (values shown as text, "—" when missing). */
export function facts(pairs) {
  return el("dl", { class: "facts" }, ...pairs.flatMap(([term, value]) => [
    el("dt", {}, term),
    el("dd", {}, value === null || value === undefined || value === "" ? "—" : value),
  ]));
}

const TIME_FORMAT = new Intl.DateTimeFormat(LOCALE, {
  year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit",
  hour12: false, timeZone: "UTC",
});

/** A time in UTC, written as the page's language writes dates. */
export function formatTime(iso) {
  if (iso === null || iso === undefined || iso === "") return "—";
  return `${TIME_FORMAT.format(new Date(iso))} UTC`;
}

export function formatP(p) {
  return p === null || p === undefined
    ? "—"
    : new Intl.NumberFormat(LOCALE, { minimumFractionDigits: 3, maximumFractionDigits: 3 }).format(p);
}

export function showError(container, error) {
  const text = error instanceof ApiError ? `${error.status}: ${error.message}` : String(error);
  container.replaceChildren(el("p", { class: "error", role: "alert" }, text));
}
