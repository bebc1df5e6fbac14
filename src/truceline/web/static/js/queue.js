// The monitor's outbox: reports wait in the browser (localStorage, one outbox per user) until
// the API has stored them. Each report has its id from the moment it is written (made here,
// in the browser), and the API's intake is idempotent on ids: a batch sent twice (an answer
// lost on a bad line, two tabs sending at once) is stored once.

const PREFIX = "truceline.outbox.";

export class Outbox {
  constructor(owner, storage = localStorage) {
    this.key = PREFIX + owner;
    this.storage = storage;
  }

  /** Every entry: {report, state: "queued" | "refused", error?, queuedAt}. */
  entries() {
    return JSON.parse(this.storage.getItem(this.key) ?? "[]");
  }

  queued() {
    return this.entries().filter((e) => e.state === "queued");
  }

  #save(entries) {
    this.storage.setItem(this.key, JSON.stringify(entries));
  }

  add(report) {
    this.#save([...this.entries(), { report, state: "queued", queuedAt: new Date().toISOString() }]);
  }

  /** Drop the entries of these report ids (stored by the API, or discarded by the user). */
  remove(ids) {
    const gone = new Set(ids);
    this.#save(this.entries().filter((e) => !gone.has(e.report.report_id)));
  }

  /** Keep these entries aside with the API's reason: sending them again would not help. */
  refuse(ids, error) {
    const refused = new Set(ids);
    this.#save(this.entries().map((e) => (refused.has(e.report.report_id) ? { ...e, state: "refused", error } : e)));
  }
}

/** A random report id the monitor's device makes (unique without asking the server). */
export function newReportId(owner) {
  const random = crypto.randomUUID
    ? crypto.randomUUID()
    : Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, "0")).join("");
  return `R-${owner}-${random}`;
}

/**
 * Send the queued reports in one batch with ``send(reports)`` (which throws an error with a
 * ``status`` when the API refuses). Stored: removed from the outbox. Refused as malformed or
 * conflicting (400, 409, 413, 422): set aside with the reason. Anything else (no network, 401,
 * 429, 5xx): left queued for the next try. Returns what happened.
 */
export async function flush(outbox, send) {
  const batch = outbox.queued().map((e) => e.report);
  if (!batch.length) return { sent: [], kept: 0 };
  const ids = batch.map((r) => r.report_id);
  try {
    await send(batch);
  } catch (error) {
    if ([400, 409, 413, 422].includes(error.status)) {
      outbox.refuse(ids, error.message);
      return { sent: [], refused: ids, error };
    }
    return { sent: [], kept: ids.length, error };
  }
  outbox.remove(ids);
  return { sent: ids, kept: 0 };
}
