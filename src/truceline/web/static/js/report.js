// The monitor's report form: reports are queued in the browser first and sent when there is
// a connection (at once, on the browser's "online" event, and every RETRY_MS while any wait).

import { admit, api, el, formatTime, REPORT_FILERS, t, tn } from "./session.js";
import { Outbox, flush, newReportId } from "./queue.js";

const RETRY_MS = 20_000;
const NUMBERS = ["count", "observer_lon", "observer_lat", "lon", "lat", "bearing_deg", "distance_min_m", "distance_max_m"];
const TEXTS = ["event_type", "assessment", "weapon", "accused_party", "text"];

const me = await admit(REPORT_FILERS);
if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/ui/sw.js", { scope: "/ui/" }).catch((e) => console.warn("no offline copy:", e));
}
const form = document.getElementById("report");
const outbox = new Outbox(me.name);
const sentList = document.getElementById("sent");
let sending = false;

form.elements.time.value = new Date().toISOString().slice(0, 19);
form.addEventListener("submit", (e) => { e.preventDefault(); queueReport(); });
document.getElementById("locate").addEventListener("click", locate);
window.addEventListener("online", () => { showConnection(); send(); });
window.addEventListener("offline", showConnection);
setInterval(() => { if (outbox.queued().length) send(); }, RETRY_MS);
showConnection();
render();
send();
window.truceline = { outbox, send, me };
document.body.dataset.ready = "true";

function reportFromForm() {
  const f = form.elements;
  const report = {
    report_id: newReportId(me.name),
    source_id: me.name,
    source_kind: "monitor",
    time: new Date(`${f.time.value}Z`).toISOString(),
  };
  for (const name of NUMBERS) if (f[name].value !== "") report[name] = Number(f[name].value);
  for (const name of TEXTS) if (f[name].value.trim() !== "") report[name] = f[name].value.trim();
  return report;
}

function queueReport() {
  const error = document.getElementById("form-error");
  if (!form.reportValidity()) return;
  if (Number.isNaN(Date.parse(`${form.elements.time.value}Z`))) {
    error.hidden = false;
    error.textContent = t("Give the time of the observation.");
    return;
  }
  error.hidden = true;
  outbox.add(reportFromForm());
  form.elements.text.value = "";
  render();
  send();
}

async function send() {
  if (sending || !navigator.onLine) {
    render();
    return;
  }
  sending = true;
  try {
    const result = await flush(outbox, (batch) => api("/reports", { method: "POST", body: batch }));
    for (const id of result.sent) sentList.prepend(el("li", {}, t("{id} stored", { id })));
    if (result.error && !result.refused) showConnection(t("Not sent yet ({reason}); will retry.", { reason: result.error.message }));
  } finally {
    sending = false;
    render();
  }
}

function showConnection(note) {
  const line = document.getElementById("connection");
  line.dataset.online = String(navigator.onLine);
  line.textContent = note ?? (navigator.onLine
    ? t("Online: reports are sent as soon as they are queued.")
    : t("Offline: reports are kept on this device and sent when the connection returns."));
}

function render() {
  const entries = outbox.entries();
  const waiting = entries.filter((e) => e.state === "queued").length;
  document.getElementById("outbox-status").textContent = waiting
    ? tn("{n} report waiting to be sent.", "{n} reports waiting to be sent.", waiting)
    : t("Nothing waiting.");
  document.getElementById("outbox").replaceChildren(...entries.map((e) => el("li", { "data-state": e.state },
    `${e.report.report_id} · ${e.report.event_type} · ${formatTime(e.report.time)}`,
    e.state === "refused" ? el("span", { class: "error" }, ` ${t("refused: {reason}", { reason: e.error })}`) : ` · ${t("queued")}`,
    e.state === "refused" ? el("button", { type: "button", onclick: () => { outbox.remove([e.report.report_id]); render(); } }, t("Discard")) : null)));
}

function locate() {
  if (!navigator.geolocation) return;
  navigator.geolocation.getCurrentPosition((position) => {
    form.elements.observer_lon.value = position.coords.longitude.toFixed(6);
    form.elements.observer_lat.value = position.coords.latitude.toFixed(6);
  }, (error) => console.warn("no position:", error.message), { enableHighAccuracy: true, timeout: 15_000 });
}
