// An event page (the staff): where it was and how well located, its sources, the reasoning
// behind its attribution (the engine's ICD 203 wording and machine-readable reason), its
// paired event and the violations found on it; a small map with the ellipse and the link.

import { admit, api, ApiError, el, facts, formatNumber, formatP, formatTime, LOCALE, showError, STAFF, t } from "./session.js";
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
  const digits = m < 10 ? 2 : 0;
  return t("{num} m", { num: new Intl.NumberFormat(LOCALE, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(m) });
}

function render(file) {
  const e = file.event;
  const a = file.attribution;
  const reason = a.reason;
  document.getElementById("title").textContent = `${t("Event {id}", { id: e.event_id })} · ${t(e.kind)}`;
  document.title = `Truceline · ${t("Event {id}", { id: e.event_id })}`;
  body.replaceChildren(
    facts([
      [t("Time"), formatTime(e.time)],
      [t("Position"), `${e.lat.toFixed(5)}° N, ${e.lon.toFixed(5)}° E`],
      [t("Error ellipse (1σ)"), e.err_major_m === null ? null
        : t("{major} × {minor}, major axis at {azimuth}°", {
          major: metres(e.err_major_m), minor: metres(e.err_minor_m), azimuth: Math.round(e.err_azimuth_deg ?? 0),
        })],
      [t("Cramér-Rao bound"), metres(e.crlb_m)],
    ]),
    el("h2", {}, t("Sources")),
    facts([
      [t("Corroboration"), t(e.corroboration.replaceAll("_", " "))],
      [t("Sensors"), formatNumber(e.n_sensors)],
      [t("Arrivals"), formatNumber(e.arrival_ids.length)],
      [t("Reports"), e.report_ids.length ? e.report_ids.join(", ") : t("none")],
    ]),
    el("h2", {}, t("Attribution")),
    el("p", { class: "wording" }, a.wording),
    facts([
      [t("Responsible party"), e.responsible_party ? `${e.responsible_party} (p = ${formatP(e.p_responsible)})`
        : e.kind === "impact" ? t("through its paired launch, when attributed") : t("not attributed")],
      [t("Origin's control area"), e.party_control ? `${e.party_control} (p = ${formatP(e.p_control)})` : t("none")],
      [t("Probability by party"), Object.entries(a.p_by_party).map(([p, v]) => `${p}: ${formatP(v)}`).join(", ")],
      [t("Threshold"), formatP(reason.threshold)],
      [t("Distance to the line"), metres(reason.distance_to_line_m)],
      [t("Theatre"), a.theatre],
    ]),
    el("details", {}, el("summary", {}, t("Machine-readable reason")), el("pre", {}, JSON.stringify(reason, null, 2))),
    el("h2", {}, t("Paired event")),
    file.paired_event
      ? el("p", {}, link(file.paired_event.event_id), ` · ${t("{kind} at {time}", { kind: t(file.paired_event.kind), time: formatTime(file.paired_event.time) })}`)
      : el("p", { class: "muted" }, t("Not paired.")),
    el("h2", {}, t("Violations")),
    file.violations.length
      ? el("ul", {}, ...file.violations.map((v) => el("li", {},
        el("strong", {}, `${v.violation_id}: ${t(v.type.replaceAll("_", " "))} (${t(v.severity)})`),
        ` · ${v.party ?? t("no party")} · ${v.description}`)))
      : el("p", { class: "muted" }, t("None found on this event.")),
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
    body.replaceChildren(el("p", { class: "error", role: "alert" }, t("No event {id}.", { id: eventId })));
  } else {
    showError(body, error);
  }
}
document.body.dataset.ready = "true";
