// The dashboard's map page: the offline base layer, the records the role may see (events
// for the staff, published violations for everyone else), filters, the timeline, findings,
// and live updates (the list is polled every POLL seconds; ?poll=N sets N).

import {
  admit, api, CASE_READERS, el, EVERY_ROLE, formatNumber, formatP, formatTime, SENSOR_READERS, showError, STAFF, t, tn,
} from "./session.js";
import {
  collapseAttribution, DETAIL_ZOOM, detailFeatures, installCountImages, legendItems, offlineStyle, partyColours, pointFeatures,
} from "./layers.js";
import { Timeline } from "./timeline.js";
import { RecordSet, newestTime, readAll, sourceFor } from "./data.js";

const DAY_MS = 86_400_000;
const CORROBORATION_RANK = { single_source: 0, corroborated: 1, verified: 2 };
const params = new URLSearchParams(location.search);
const POLL_MS = Math.max(1, Number(params.get("poll") ?? 15)) * 1000;

const me = await admit(EVERY_ROLE);
const isStaff = STAFF.includes(me.role);
const form = document.getElementById("filters");
const status = document.getElementById("status");
const theatre = await api("/web/theatre");
const colours = partyColours(theatre.parties);
const records = new RecordSet(sourceFor(isStaff));
const view = { shown: [], period: [0, 1], updatedAt: null, polling: false };

const map = new maplibregl.Map({
  container: "map",
  style: offlineStyle(theatre, colours),
  bounds: theatre.bbox,
  fitBoundsOptions: { padding: 16 },
  attributionControl: { compact: true },
  dragRotate: false,
  pitchWithRotate: false,
});
map.touchZoomRotate.disableRotation();
installCountImages(map);
map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
map.addControl(new maplibregl.ScaleControl({ unit: "metric" }), "bottom-left");
await new Promise((resolve) => map.once("load", resolve));
collapseAttribution(map);

const timeline = new Timeline(document.getElementById("timeline"), {
  onChange: (selection) => { showSelection(selection); update({ timelineToo: false }); },
});

setUpFilters();
renderLegend();
wireMap();
await reload();
loadSensors();
loadFindings();
setInterval(poll, POLL_MS);

window.truceline = {
  map,
  me,
  records,
  timeline,
  state: () => ({
    role: me.role,
    noun: records.source.noun,
    loaded: records.byId.size,
    shown: view.shown.length,
    shownIds: view.shown.map((r) => r.id),
    selection: timeline.selection,
    updatedAt: view.updatedAt,
  }),
  /** Put these records on the map in place of those read (the browser tests' 100k events). */
  setRecords(list) {
    records.replace(list);
    setPeriod();
    fillKinds(list.map((r) => r.kind));
    update();
  },
  idle: () => new Promise((resolve) => map.once("idle", resolve)),
};
document.body.dataset.ready = "true";

// --- filters --------------------------------------------------------------------------------

function setUpFilters() {
  const party = form.elements.party;
  party.append(
    el("option", { value: "" }, t("All parties")),
    ...theatre.parties.map((p) => el("option", { value: p.id }, `${p.id} (${p.name})`)),
    el("option", { value: "-" }, t("Not attributed")),
  );
  document.getElementById("corroboration-filter").hidden = !isStaff;
  document.getElementById("sensors-toggle").hidden = !SENSOR_READERS.includes(me.role);
  document.getElementById("kind-label").firstChild.textContent = `${isStaff ? t("Kind") : t("Violation type")} `;
  form.addEventListener("change", (e) => {
    if (e.target.name === "days") reload();
    else if (e.target.name === "from" || e.target.name === "to") selectFromInputs();
    else if (e.target.dataset.layer) toggleLayer(e.target);
    else update();
  });
  form.addEventListener("submit", (e) => e.preventDefault());
  document.getElementById("clear-time").addEventListener("click", () => timeline.select(null));
  const panel = document.getElementById("panel");
  document.getElementById("panel-toggle").addEventListener("click", (e) => {
    const open = panel.classList.toggle("open");
    e.currentTarget.setAttribute("aria-expanded", String(open));
  });
}

function fillKinds(kinds) {
  const select = form.elements.kind;
  const current = select.value;
  const options = [...new Set([...records.source.kinds, ...kinds])].sort();
  select.replaceChildren(el("option", { value: "" }, t("All")), ...options.map((k) => el("option", { value: k }, t(k.replaceAll("_", " ")))));
  select.value = options.includes(current) ? current : "";
}

function passes(r, f) {
  if (f.party === "-" ? Boolean(r.party) : f.party && r.party !== f.party) return false;
  if (f.kind && r.kind !== f.kind) return false;
  if (f.corroboration && (CORROBORATION_RANK[r.corroboration] ?? -1) < CORROBORATION_RANK[f.corroboration]) return false;
  return true;
}

function currentFilters() {
  return {
    party: form.elements.party.value,
    kind: form.elements.kind.value,
    corroboration: isStaff ? form.elements.corroboration.value : "",
  };
}

/** Apply the filters: the timeline counts all but the time filter; the map shows all. */
function update({ timelineToo = true } = {}) {
  const f = currentFilters();
  const all = records.records;
  const kept = all.filter((r) => passes(r, f));
  if (timelineToo) timeline.setData(kept, view.period[0], view.period[1], colours);
  const s = timeline.selection;
  view.shown = s ? kept.filter((r) => r.t >= s[0] && r.t < s[1]) : kept;
  map.getSource("events").setData(pointFeatures(view.shown));
  updateDetail();
  showStatus();
}

function showStatus() {
  const updated = view.updatedAt ? ` · ${t("updated {time} UTC", { time: view.updatedAt.toISOString().slice(11, 19) })}` : "";
  const values = { shown: formatNumber(view.shown.length), total: formatNumber(records.byId.size) };
  const text = isStaff ? t("{shown} of {total} events shown", values) : t("{shown} of {total} published violations shown", values);
  status.textContent = `${text}${updated}`;
}

function setPeriod() {
  let [lo, hi] = [Infinity, -Infinity];
  for (const r of records.byId.values()) { lo = Math.min(lo, r.t); hi = Math.max(hi, r.t); }
  if (!Number.isFinite(lo)) [lo, hi] = [Date.now() - DAY_MS, Date.now()];
  view.period = [lo, Math.max(hi + 1, lo + 3_600_000)];
}

async function reload() {
  const days = form.elements.days.value;
  try {
    status.textContent = t("Reading {what}…", { what: records.source.label });
    const newest = await newestTime(records.source.path);
    const start = days === "all" || newest === null ? null : newest - Number(days) * DAY_MS;
    await records.load(start);
    view.updatedAt = new Date();
    setPeriod();
    fillKinds(records.records.map((r) => r.kind));
    timeline.selection = null;
    showSelection(null);
    update();
  } catch (error) {
    showError(status, error);
  }
}

async function poll() {
  if (document.hidden || view.polling) return; // one look at a time on a slow line
  view.polling = true;
  try {
    const changed = await records.refresh();
    view.updatedAt = new Date();
    if (changed) {
      setPeriod();
      fillKinds(records.records.map((r) => r.kind));
      update();
    } else {
      showStatus();
    }
  } catch (error) {
    status.textContent = t("Live updates paused ({reason}); retrying.", { reason: error.message });
  } finally {
    view.polling = false;
  }
}

function toUtcInput(ms) {
  return new Date(ms).toISOString().slice(0, 16);
}

function showSelection(selection) {
  form.elements.from.value = selection ? toUtcInput(selection[0]) : "";
  form.elements.to.value = selection ? toUtcInput(selection[1]) : "";
}

function selectFromInputs() {
  const from = Date.parse(`${form.elements.from.value}Z`);
  const to = Date.parse(`${form.elements.to.value}Z`);
  const lo = Number.isFinite(from) ? from : view.period[0];
  const hi = Number.isFinite(to) ? to : view.period[1];
  timeline.select(hi > lo ? [lo, hi] : null);
}

function toggleLayer(input) {
  for (const id of input.dataset.layer.split(" ")) {
    map.setLayoutProperty(id, "visibility", input.checked ? "visible" : "none");
  }
}

function renderLegend() {
  const items = legendItems(theatre.parties, colours, t("not attributed"));
  document.getElementById("legend").replaceChildren(
    ...items.map(([colour, text]) => el("li", {}, el("span", { class: "swatch", style: `background:${colour}` }), text)),
    el("li", {}, el("span", { class: "swatch line", style: "background:#c92a2a" }), t("line of contact")),
    el("li", {}, el("span", { class: "swatch ring" }), t("protected site")),
  );
}

// --- the map --------------------------------------------------------------------------------

function wireMap() {
  map.on("moveend", updateDetail);
  map.on("click", "clusters", async (e) => {
    const cluster = e.features[0];
    const zoom = await map.getSource("events").getClusterExpansionZoom(cluster.properties.cluster_id);
    map.easeTo({ center: cluster.geometry.coordinates, zoom });
  });
  map.on("click", "events", (e) => {
    const record = records.byId.get(e.features[0].properties.id);
    if (record) popup(record, e.features[0].geometry.coordinates);
  });
  for (const layer of ["clusters", "events"]) {
    map.on("mouseenter", layer, () => { map.getCanvas().style.cursor = "pointer"; });
    map.on("mouseleave", layer, () => { map.getCanvas().style.cursor = ""; });
  }
}

function updateDetail() {
  const source = map.getSource("detail");
  if (map.getZoom() < DETAIL_ZOOM) {
    source.setData({ type: "FeatureCollection", features: [] });
    return;
  }
  source.setData(detailFeatures(view.shown, records.byId, map.getBounds().toArray()));
}

function popup(r, lngLat) {
  const body = isStaff
    ? [
      el("strong", {}, `${r.id} · ${t(r.kind)}`),
      el("div", {}, formatTime(r.t)),
      el("div", {}, r.party ? t("Responsible: {party} (p = {p})", { party: r.party, p: formatP(r.pParty) }) : t("Not attributed to a party")),
      el("div", {}, t("Origin area: {area} (p = {p})", { area: r.control ?? t("none"), p: formatP(r.pControl) })),
      el("div", {}, `${t(r.corroboration.replaceAll("_", " "))} · ${tn("{n} sensor", "{n} sensors", r.sensors)} · ${tn("{n} report", "{n} reports", r.reports)}`),
      el("a", { class: "button", href: `/ui/events/${encodeURIComponent(r.id)}` }, t("Open the event")),
    ]
    : [
      el("strong", {}, `${r.id} · ${t(r.kind.replaceAll("_", " "))}`),
      el("div", {}, `${formatTime(r.t)} · ${t("severity {severity}", { severity: t(r.severity) })}`),
      el("div", {}, r.party ? t("Party: {party} (p = {p})", { party: r.party, p: formatP(r.pParty) }) : t("Not attributed to a party")),
      el("p", {}, r.description),
    ];
  new maplibregl.Popup({ maxWidth: "320px" }).setLngLat(lngLat).setDOMContent(el("div", { class: "popup" }, ...body)).addTo(map);
}

async function loadSensors() {
  if (!SENSOR_READERS.includes(me.role)) return;
  try {
    const sensors = await readAll("/sensors");
    map.getSource("sensors").setData({
      type: "FeatureCollection",
      features: sensors.map((s) => ({
        type: "Feature", geometry: { type: "Point", coordinates: [s.lon, s.lat] }, properties: { id: s.sensor_id },
      })),
    });
  } catch (error) {
    console.warn("sensors not shown:", error);
  }
}

async function loadFindings() {
  const list = document.querySelector("#findings ol");
  try {
    const { data } = await api("/findings?limit=100");
    const canOpen = CASE_READERS.includes(me.role);
    list.replaceChildren(...data.reverse().map((f) => el("li", {},
      canOpen ? el("a", { href: `/ui/cases/${encodeURIComponent(f.case_id)}` }, f.finding_id) : el("strong", {}, f.finding_id),
      ` · ${f.responsible_party ?? t("no party")} · ${t(f.standard_of_proof.replaceAll("_", " "))} · `,
      `${t("{for} for, {against} against", { for: f.votes_for, against: f.votes_against })} · ${formatTime(f.decided_at)}`)));
    if (!data.length) list.replaceChildren(el("li", {}, t("No finding published yet.")));
  } catch (error) {
    showError(list, error);
  }
}
