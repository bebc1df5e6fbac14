// An event page (the staff): where it was and how well located, its sources, the reasoning
// behind its attribution (the engine's ICD 203 wording and machine-readable reason), its
// paired event and the violations found on it; a small map with the ellipse and the link.

import { admit, api, ApiError, el, facts, formatP, formatTime, showError, STAFF } from "./session.js";
import { collapseAttribution, detailFeatures, installCountImages, offlineStyle, partyColours, pointFeatures } from "./layers.js";
import { eventRecord } from "./data.js";

await admit(STAFF);
const eventId = decodeURIComponent(location.pathname.split("/").pop());
const body = document.getElementById("event-body");

function link(id) {
  return id ? el("a", { href: `/ui/events/${encodeURIComponent(id)}` }, id) : null;
}

function metres(m) {
  if (m === null || m === undefined) return null;
  return m < 10 ? `${m.toFixed(2)} m` : `${Math.round(m).toLocaleString("en")} m`;
}

function render(file) {
  const e = file.event;
  const a = file.attribution;
  const reason = a.reason;
  document.getElementById("title").textContent = `Event ${e.event_id} · ${e.kind}`;
  document.title = `Truceline · Event ${e.event_id}`;
  body.replaceChildren(
    facts([
      ["Time", formatTime(e.time)],
      ["Position", `${e.lat.toFixed(5)}° N, ${e.lon.toFixed(5)}° E`],
      ["Error ellipse (1σ)", e.err_major_m === null ? null
        : `${metres(e.err_major_m)} × ${metres(e.err_minor_m)}, major axis at ${Math.round(e.err_azimuth_deg ?? 0)}°`],
      ["Cramér-Rao bound", metres(e.crlb_m)],
    ]),
    el("h2", {}, "Sources"),
    facts([
      ["Corroboration", e.corroboration.replaceAll("_", " ")],
      ["Sensors", String(e.n_sensors)],
      ["Arrivals", String(e.arrival_ids.length)],
      ["Reports", e.report_ids.length ? e.report_ids.join(", ") : "none"],
    ]),
    el("h2", {}, "Attribution"),
    el("p", { class: "wording" }, a.wording),
    facts([
      ["Responsible party", e.responsible_party ? `${e.responsible_party} (p = ${formatP(e.p_responsible)})`
        : e.kind === "impact" ? "through its paired launch, when attributed" : "not attributed"],
      ["Origin's control area", e.party_control ? `${e.party_control} (p = ${formatP(e.p_control)})` : "none"],
      ["Probability by party", Object.entries(a.p_by_party).map(([p, v]) => `${p}: ${formatP(v)}`).join(", ")],
      ["Threshold", formatP(reason.threshold)],
      ["Distance to the line", metres(reason.distance_to_line_m)],
      ["Theatre", a.theatre],
    ]),
    el("details", {}, el("summary", {}, "Machine-readable reason"), el("pre", {}, JSON.stringify(reason, null, 2))),
    el("h2", {}, "Paired event"),
    file.paired_event
      ? el("p", {}, link(file.paired_event.event_id), ` · ${file.paired_event.kind} at ${formatTime(file.paired_event.time)}`)
      : el("p", { class: "muted" }, "Not paired."),
    el("h2", {}, "Violations"),
    file.violations.length
      ? el("ul", {}, ...file.violations.map((v) => el("li", {},
        el("strong", {}, `${v.violation_id}: ${v.type.replaceAll("_", " ")} (${v.severity})`),
        ` · ${v.party ?? "no party"} · ${v.description}`)))
      : el("p", { class: "muted" }, "None found on this event."),
  );
}

async function showMap(file) {
  const theatre = await api("/web/theatre");
  const colours = partyColours(theatre.parties);
  const records = [eventRecord(file.event), ...(file.paired_event ? [eventRecord(file.paired_event)] : [])];
  const map = new maplibregl.Map({
    container: "event-map",
    style: offlineStyle(theatre, colours),
    center: [file.event.lon, file.event.lat],
    zoom: 9,
    attributionControl: { compact: true },
  });
  map.addControl(new maplibregl.NavigationControl({ showCompass: false }), "top-right");
  installCountImages(map);
  await new Promise((resolve) => map.once("load", resolve));
  collapseAttribution(map);
  const byId = new Map(records.map((r) => [r.id, r]));
  map.getSource("events").setData(pointFeatures(records));
  map.getSource("detail").setData(detailFeatures(records, byId, [[-180, -90], [180, 90]]));
  if (records.length > 1) {
    const lons = records.map((r) => r.lon);
    const lats = records.map((r) => r.lat);
    map.fitBounds([[Math.min(...lons), Math.min(...lats)], [Math.max(...lons), Math.max(...lats)]],
      { padding: 60, maxZoom: 12, duration: 0 });
  }
  window.truceline = { map };
}

try {
  const file = await api(`/web/events/${encodeURIComponent(eventId)}`);
  render(file);
  await showMap(file);
} catch (error) {
  if (error instanceof ApiError && error.status === 404) {
    body.replaceChildren(el("p", { class: "error", role: "alert" }, `No event ${eventId}.`));
  } else {
    showError(body, error);
  }
}
document.body.dataset.ready = "true";
