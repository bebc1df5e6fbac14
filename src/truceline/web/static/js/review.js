// The review page: the analysts' queue (claim, release, decide), merging and splitting events
// (the engine locates and attributes the result again), the edits with who, when and why and
// an undo of the latest, and the decisions taken. Analysts work here; commissioners only read
// the decisions and the edits. Everything is read from and written to the API (/review/...)
// with the session's token, and put in the page as text.

import { admit, api, el, formatNumber, formatP, formatTime, LOCALE, REVIEWERS, t, tn } from "./session.js";
import { newestTime } from "./data.js";

// The words of the API's machine values, in the page's language (t() and tn() of session.js;
// the extraction reads the literals, so each label is written out).
const REASONS = {
  serious_violation: t("Serious violation"),
  near_protected_site: t("Near a protected site"),
  disputed_attribution: t("Disputed attribution"),
  uncorroborated_complaint: t("Uncorroborated complaint"),
  poor_fix: t("Poor fix"),
};
const ITEM_KINDS = { event: t("Event"), report: t("Report") };
const ACTIONS = { confirm: t("Confirm"), reject: t("Reject"), reclassify: t("Reclassify"), escalate: t("Escalate to a case") };
const EVENT_KINDS = { launch: t("Launch"), impact: t("Impact"), unknown: t("Unknown") };
const VIOLATION_TYPES = {
  fire_across_line: t("Fire across the line"),
  weapon_in_withdrawal_zone: t("Weapon in a withdrawal zone"),
  buffer_zone_incursion: t("Buffer zone incursion"),
  fire_at_protected_site: t("Fire at a protected site"),
  access_denied: t("Access denied"),
  missing_weapon: t("Missing weapon"),
};
const EDIT_KINDS = { merge: t("merge"), split: t("split"), undo: t("undo") };
const EVENT_HEADINGS = ["", t("Event"), t("Time"), t("Kind"), t("Position"), t("Error (m)"), t("Sensors"), t("Reports"),
  t("Corroboration"), t("Attribution"), ""];
const EDIT_HEADINGS = [t("Edit"), t("Kind"), t("Who"), t("When"), t("Why"), t("Before"), t("After"), t("State")];
const DECISION_HEADINGS = [t("When"), t("Item"), t("Decision"), t("Who"), t("Reason"), t("Details")];
const REASON_LABEL = t("Reason (kept with the record)");
const KEEP = "—"; // the blank choice of a select: keep what is stored
const QUEUE_PAGE = 100;
const EVENTS_PAGE = 500;
const LATEST = 50;

const me = await admit(REVIEWERS);
const works = me.role === "analyst";
const status = document.getElementById("status");
const view = { queue: [], events: [], window: null, picked: new Set(), changed: new Set(), result: null };

function table(headings, rows, attrs = {}) {
  return el("div", { class: "table-wrap" }, el("table", attrs,
    el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows)));
}

function eventLink(id) {
  return el("a", { href: `/ui/events/${encodeURIComponent(id)}` }, id);
}

function labelled(text, control) {
  return el("label", {}, text, control);
}

function options(labels, chosen = null, blank = null) {
  const entries = Object.entries(labels);
  return [
    ...(blank === null ? [] : [el("option", { value: "" }, blank)]),
    ...entries.map(([value, text]) => el("option", { value, selected: value === chosen }, text)),
  ];
}

/** Run an action with the page marked busy; a refusal is shown, never thrown. */
async function act(work) {
  document.body.dataset.ready = "false";
  status.classList.remove("error");
  status.removeAttribute("role");
  try {
    const message = await work();
    status.textContent = message ?? "";
  } catch (error) {
    status.classList.add("error");
    status.setAttribute("role", "alert");
    status.textContent = describe(error);
    await refreshAll().catch(() => {});
  } finally {
    document.body.dataset.ready = "true";
  }
}

/** What the API said when it refused (the messages of a 422, the detail otherwise). */
function describe(error) {
  if (!error.status) return error.message ?? String(error);
  const detail = Array.isArray(error.detail)
    ? error.detail.map((d) => `${d.loc?.at(-1) ?? ""}: ${d.msg}`).join("; ")
    : error.message;
  return t("Refused ({status}): {message}", { status: error.status, message: detail });
}

/** The reason given in a form, trimmed; a blank one is refused here, before any request. */
function reasonOf(form) {
  const reason = String(form.get("reason") ?? "").trim();
  if (!reason) throw new Error(t("Give a reason: it is kept with the record."));
  return reason;
}

// --- the queue -------------------------------------------------------------------------

async function loadQueue() {
  if (!works) return;
  const { data, count } = await api(`/review/queue?limit=${QUEUE_PAGE}`);
  view.queue = data;
  const body = document.getElementById("queue-body");
  if (!count) {
    body.replaceChildren(el("p", { class: "muted" }, t("Nothing waits for review.")));
    return;
  }
  const note = tn("{n} item needs a human; the most urgent first.", "{n} items need a human; the most urgent first.", count)
    + shownNote(count, data.length);
  body.replaceChildren(el("p", {}, note), el("ol", { class: "review-items" }, ...data.map(queueItem)));
}

function queueItem(item) {
  const ref = item.kind === "event" ? eventLink(item.ref_id) : el("span", {}, item.ref_id);
  return el("li", { class: "review-item", "data-item": item.item_id, "data-claimed": item.claim ? "me" : "no" },
    el("p", { class: "item-head" },
      el("strong", {}, ITEM_KINDS[item.kind] ?? item.kind, " "), ref, ` · ${formatTime(item.time)}`),
    el("p", {}, item.summary),
    el("p", { class: "reasons" }, ...item.reasons.map((r) => el("span", { class: "badge", "data-reason": r }, REASONS[r] ?? r))),
    el("dl", { class: "facts" },
      ...fact(t("Severity"), item.severity && t(item.severity)),
      ...fact(t("P(origin in the control area)"), item.p_attribution === null ? null : formatP(item.p_attribution)),
      ...fact(t("Error ellipse / bound"), number(item.fix_ratio)), ...fact(t("Priority"), number(item.priority))),
    claimPart(item));
}

function fact(term, value) {
  return [el("dt", {}, term), el("dd", {}, value === null || value === undefined ? "—" : String(value))];
}

function claimPart(item) {
  if (!item.claim) {
    return el("div", { class: "claim" }, el("span", { class: "muted" }, t("Not claimed")), " ",
      el("button", { type: "button", class: "claim-button", onclick: () => act(() => claim(item)) }, t("Claim")));
  }
  return el("div", { class: "claim" },
    el("span", { class: "held" }, t("Claimed by you until {until}", { until: formatTime(item.claim.expires_at) })), " ",
    el("button", { type: "button", class: "release-button", onclick: () => act(() => release(item)) }, t("Release")),
    decisionForm(item));
}

function itemPath(item, verb) {
  return `/review/items/${encodeURIComponent(item.item_id)}/${verb}`;
}

async function claim(item) {
  const held = await api(itemPath(item, "claim"), { method: "POST", body: {} });
  await loadQueue();
  return t("You hold {item} until {until}.", { item: item.item_id, until: formatTime(held.expires_at) });
}

async function release(item) {
  await api(itemPath(item, "release"), { method: "POST" });
  await loadQueue();
  return t("{item} is back in the queue.", { item: item.item_id });
}

function decisionForm(item) {
  const action = el("select", { name: "action", required: true }, ...options(ACTIONS, "confirm"));
  const extra = el("div", { class: "row reclassify", hidden: true });
  action.addEventListener("change", () => {
    extra.hidden = action.value !== "reclassify";
    if (!extra.hidden && !extra.childElementCount) reclassifyFields(item, extra);
  });
  const form = el("form", { class: "stack decision" },
    labelled(t("Decision"), action), extra,
    labelled(REASON_LABEL, el("textarea", { name: "reason", required: true, rows: 2 })),
    el("button", { type: "submit" }, t("Record the decision")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    act(() => decide(item, new FormData(form)));
  });
  return form;
}

/** The reclassification's choices: the event's kind, or the type of one of its violations. */
async function reclassifyFields(item, box) {
  const fields = [];
  if (item.kind === "event") fields.push(labelled(t("New kind of event"), el("select", { name: "kind" }, ...options(EVENT_KINDS, null, KEEP))));
  const found = await violationsOf(item).catch(() => []);
  if (found.length) {
    const choices = Object.fromEntries(found.map((v) => [v.violation_id, `${v.violation_id} (${VIOLATION_TYPES[v.type] ?? v.type})`]));
    fields.push(labelled(t("Violation"), el("select", { name: "violation_id" }, ...options(choices, null, KEEP))),
      labelled(t("New type"), el("select", { name: "violation_type" }, ...options(VIOLATION_TYPES, null, KEEP))));
  } else {
    fields.push(el("p", { class: "muted" }, t("No violation rests on this item.")));
  }
  box.replaceChildren(...fields);
}

/** The violations resting on an item (they share its time). */
async function violationsOf(item) {
  const start = new Date(item.time);
  const end = new Date(start.getTime() + 1000);
  const key = item.kind === "event" ? "event_id" : "report_id";
  const { data } = await api(`/violations?limit=1000&start=${start.toISOString()}&end=${end.toISOString()}`);
  return data.filter((v) => v[key] === item.ref_id);
}

async function decide(item, form) {
  const body = { action: form.get("action"), reason: reasonOf(form) };
  if (body.action === "reclassify") {
    for (const name of ["kind", "violation_id", "violation_type"]) if (form.get(name)) body[name] = form.get(name);
  }
  const done = await api(itemPath(item, "decision"), { method: "POST", body });
  await Promise.all([loadQueue(), loadDecisions()]);
  if (done.details?.case_id) return t("{item}: escalated as case {case}.", { item: item.item_id, case: done.details.case_id });
  return t("{item}: {action} recorded.", { item: item.item_id, action: ACTIONS[done.action] ?? done.action });
}

// --- events: merge and split -----------------------------------------------------------

function toInput(ms) {
  return new Date(ms).toISOString().slice(0, 19);
}

function fromInput(value) {
  return value ? new Date(`${value}Z`).toISOString() : null;
}

async function initialWindow() {
  const newest = await newestTime("/events");
  const end = newest === null ? Date.now() : newest + 1000;
  return { start: toInput(end - 3600_000), end: toInput(end) };
}

async function loadEvents() {
  const { start, end } = view.window;
  const search = new URLSearchParams({ limit: EVENTS_PAGE });
  if (fromInput(start)) search.set("start", fromInput(start));
  if (fromInput(end)) search.set("end", fromInput(end));
  const { data, count } = await api(`/events?${search}`);
  view.events = data;
  const known = new Set(data.map((e) => e.event_id));
  view.picked = new Set([...view.picked].filter((id) => known.has(id)));
  renderEvents(count);
}

function renderEvents(count) {
  const { start, end } = view.window;
  const windowForm = el("form", { id: "event-window", class: "row" },
    labelled(t("From (UTC)"), el("input", { type: "datetime-local", step: 1, name: "start", value: start })),
    labelled(t("To (UTC)"), el("input", { type: "datetime-local", step: 1, name: "end", value: end })),
    el("button", { type: "submit" }, t("Show events")));
  windowForm.addEventListener("submit", (e) => {
    e.preventDefault();
    const form = new FormData(windowForm);
    view.window = { start: form.get("start"), end: form.get("end") };
    act(loadEvents);
  });
  const note = count
    ? tn("{n} event in the period.", "{n} events in the period.", count) + shownNote(count, view.events.length)
    : t("No event in the period.");
  document.getElementById("events-body").replaceChildren(
    windowForm, el("p", {}, note), resultPart(),
    table(EVENT_HEADINGS, view.events.map(eventRow), { id: "event-table" }),
    mergeForm(), el("div", { id: "split" }));
}

function eventRow(e) {
  const pick = el("input", { type: "checkbox", name: "pick", value: e.event_id, checked: view.picked.has(e.event_id),
    "aria-label": t("Select {event}", { event: e.event_id }) });
  pick.addEventListener("change", () => {
    if (pick.checked) view.picked.add(e.event_id); else view.picked.delete(e.event_id);
    document.getElementById("merge").replaceWith(mergeForm());
  });
  return el("tr", { "data-event": e.event_id, class: view.changed.has(e.event_id) ? "changed" : null },
    el("td", {}, pick), el("td", {}, eventLink(e.event_id)), ...eventCells(e),
    el("td", {}, e.arrival_ids.length + e.report_ids.length > 1
      ? el("button", { type: "button", class: "split-button", onclick: () => splitForm(e) }, t("Split…")) : null));
}

/** The cells an event shares in the event table and in an edit's result (from its time on). */
function eventCells(e) {
  return [
    el("td", {}, formatTime(e.time)), el("td", {}, EVENT_KINDS[e.kind] ?? e.kind), el("td", {}, position(e)),
    el("td", {}, ellipse(e)), el("td", {}, formatNumber(e.n_sensors)), el("td", {}, formatNumber(e.report_ids.length)),
    el("td", {}, t(e.corroboration.replaceAll("_", " "))), el("td", {}, attribution(e)),
  ];
}

/** A number in the page's language with exactly ``digits`` decimals. */
function fixed(n, digits) {
  return new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
}

function number(n) {
  return n === null || n === undefined ? null : formatNumber(n);
}

/** " Showing the first {shown}." when a page of the list is shown, else nothing. */
function shownNote(count, shown) {
  return count > shown ? ` ${t("Showing the first {shown}.", { shown: formatNumber(shown) })}` : "";
}

function position(e) {
  return t("{lat} N, {lon} E", { lat: fixed(e.lat, 4), lon: fixed(e.lon, 4) });
}

function ellipse(e) {
  if (e.err_major_m === null) return "—";
  const metres = (m) => fixed(m, m < 10 ? 1 : 0);
  return `${metres(e.err_major_m)} × ${metres(e.err_minor_m)}`;
}

function attribution(e) {
  return e.responsible_party ? `${e.responsible_party} (p = ${formatP(e.p_responsible)})` : t("not attributed");
}

function mergeForm() {
  const ids = [...view.picked];
  const form = el("form", { id: "merge", class: "stack" },
    el("p", {}, ids.length ? t("Selected: {ids}", { ids: ids.join(", ") }) : t("Select two events to merge them.")),
    labelled(REASON_LABEL, el("input", { name: "reason", required: true })),
    el("button", { type: "submit", disabled: ids.length < 2 }, t("Merge the selected events")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    act(() => edited(api("/review/merge", { method: "POST", body: { event_ids: ids, reason: reasonOf(new FormData(form)) } })));
  });
  return form;
}

function splitForm(event) {
  const box = (name, legend, ids) => ids.length ? el("fieldset", {}, el("legend", {}, legend),
    ...ids.map((id) => el("label", {}, el("input", { type: "checkbox", name, value: id }), id))) : null;
  const form = el("form", { id: "split", class: "stack" },
    el("h3", {}, t("Split {event}: what moves into a new event", { event: event.event_id })),
    box("arrivals", t("Arrivals"), event.arrival_ids), box("reports", t("Reports"), event.report_ids),
    labelled(REASON_LABEL, el("input", { name: "reason", required: true })),
    el("div", {}, el("button", { type: "submit" }, t("Split into a new event")), " ",
      el("button", { type: "button", onclick: () => form.replaceWith(el("div", { id: "split" })) }, t("Cancel"))));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const data = new FormData(form);
    const moved = { event_id: event.event_id, arrival_ids: data.getAll("arrivals"), report_ids: data.getAll("reports") };
    act(() => edited(api("/review/split", { method: "POST", body: { ...moved, reason: reasonOf(data) } })));
  });
  document.getElementById("split").replaceWith(form);
  form.scrollIntoView({ block: "nearest" });
}

/** After a merge, split or undo: the events it made are shown and everything read again. */
async function edited(request) {
  const edit = await request;
  view.result = edit;
  view.picked.clear();
  view.changed = new Set(edit.after.map((e) => e.event_id));
  await refreshAll();
  return editSummary(edit);
}

/** "E-7 (merge): E-1 + E-2 → E-9", the kind in the page's language. */
function editSummary(edit) {
  const kind = EDIT_KINDS[edit.kind] ?? edit.kind;
  return t("{edit} ({kind}): {before} → {after}", { edit: edit.edit_id, kind, before: ids(edit.before), after: ids(edit.after) });
}

function ids(events) {
  return events.map((e) => e.event_id).join(" + ");
}

function resultPart() {
  const edit = view.result;
  if (!edit) return null;
  return el("div", { id: "edit-result", class: "edit-result" },
    el("p", {}, editSummary(edit)),
    edit.dropped_arrivals.length
      ? el("p", { class: "muted" }, t("Arrivals the new fixes did not keep: {ids}", { ids: edit.dropped_arrivals.join(", ") })) : null,
    ...edit.notes.map((note) => el("p", { class: "note" }, note)),
    table(EVENT_HEADINGS.slice(1, -1), edit.after.map((e) => el("tr", { "data-after": e.event_id },
      el("td", {}, eventLink(e.event_id)), ...eventCells(e)))));
}

// --- edits and decisions ---------------------------------------------------------------

/** The last ``LATEST`` records of a list the API keeps oldest first. */
async function latest(path) {
  const head = await api(`${path}?limit=1`);
  const offset = Math.max(0, head.count - LATEST);
  const { data } = await api(`${path}?limit=${LATEST}&offset=${offset}`);
  return { data, count: head.count };
}

async function loadEdits() {
  const { data } = await latest("/review/edits");
  const body = document.getElementById("edits-body");
  if (!data.length) {
    body.replaceChildren(el("p", { class: "muted" }, t("No merge or split yet.")));
    return;
  }
  const rows = [...data].reverse().map((e) => el("tr", { "data-edit": e.edit_id },
    el("td", {}, e.edit_id), el("td", {}, EDIT_KINDS[e.kind] ?? e.kind), el("td", {}, e.actor), el("td", {}, formatTime(e.at)),
    el("td", {}, e.reason), el("td", {}, ids(e.before)), el("td", {}, ids(e.after)), el("td", {}, editState(e))));
  const undoable = [...data].reverse().find((e) => e.kind !== "undo" && !e.undone_by);
  body.replaceChildren(table(EDIT_HEADINGS, rows, { id: "edit-table" }), works && undoable ? undoForm(undoable) : null);
}

function editState(e) {
  if (e.undone_by) return t("undone by {edit}", { edit: e.undone_by });
  return e.undoes ? t("undoes {edit}", { edit: e.undoes }) : t("standing");
}

function undoForm(edit) {
  const form = el("form", { id: "undo", class: "stack", "data-edit": edit.edit_id },
    el("h3", {}, t("Undo {edit} ({kind} by {actor})", { edit: edit.edit_id, kind: EDIT_KINDS[edit.kind] ?? edit.kind, actor: edit.actor })),
    labelled(REASON_LABEL, el("input", { name: "reason", required: true })),
    el("button", { type: "submit" }, t("Undo")));
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    const path = `/review/edits/${encodeURIComponent(edit.edit_id)}/undo`;
    act(() => edited(api(path, { method: "POST", body: { reason: reasonOf(new FormData(form)) } })));
  });
  return form;
}

async function loadDecisions() {
  const { data, count } = await latest("/review/decisions");
  const body = document.getElementById("decisions-body");
  if (!data.length) {
    body.replaceChildren(el("p", { class: "muted" }, t("No decision yet.")));
    return;
  }
  const rows = [...data].reverse().map((d) => el("tr", { "data-decision": d.item_id },
    el("td", {}, formatTime(d.at)), el("td", {}, d.item_id), el("td", {}, ACTIONS[d.action] ?? d.action),
    el("td", {}, d.actor), el("td", {}, d.reason), el("td", {}, details(d.details))));
  const note = tn("{n} decision; the latest first.", "{n} decisions; the latest first.", count);
  body.replaceChildren(el("p", {}, note), table(DECISION_HEADINGS, rows, { id: "decision-table" }));
}

/** What a decision changed: the case it opened, the kind or type it set (was → now). */
function details(found) {
  if (found.case_id) return el("a", { href: `/ui/cases/${encodeURIComponent(found.case_id)}` }, found.case_id);
  if (found.from_kind) return `${t("Kind")}: ${EVENT_KINDS[found.from_kind] ?? found.from_kind} → ${EVENT_KINDS[found.kind] ?? found.kind}`;
  if (found.from_type) {
    const type = (v) => VIOLATION_TYPES[v] ?? v;
    return `${found.violation_id}: ${type(found.from_type)} → ${type(found.type)}`;
  }
  return Object.entries(found).map(([k, v]) => `${k}: ${v}`).join(", ");
}

async function refreshAll() {
  const reads = [loadQueue(), loadEdits(), loadDecisions()];
  if (works && view.window) reads.push(loadEvents());
  await Promise.all(reads);
}

// --- start -------------------------------------------------------------------------------

if (works) {
  document.getElementById("events").hidden = false;
  view.window = await initialWindow();
} else {
  document.getElementById("queue-body").replaceChildren(el("p", { class: "muted" }, t("Analysts work the queue; their decisions and edits are below.")));
}
await act(refreshAll);
