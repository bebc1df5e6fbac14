// What the map shows, read from the API as the role may see it: the staff see the events
// (GET /events), everyone else the published violations (GET /violations). Records are kept
// in a compact shape; lists are read in pages of 1,000 (the API's largest), a few at a time.

import { api, t } from "./session.js";

const PAGE = 1000;
const PARALLEL = 4;

/** How the map reads its records for a role: which list, and how one item becomes a record. */
export function sourceFor(isStaff) {
  return isStaff
    ? { path: "/events", noun: "events", label: t("events"), record: eventRecord, kinds: ["launch", "impact", "unknown"] }
    : { path: "/violations", noun: "published violations", label: t("published violations"), record: violationRecord, kinds: [] };
}

export function eventRecord(e) {
  return {
    id: e.event_id,
    t: Date.parse(e.time),
    lon: e.lon,
    lat: e.lat,
    party: e.responsible_party,
    kind: e.kind,
    corroboration: e.corroboration,
    major: e.err_major_m,
    minor: e.err_minor_m,
    az: e.err_azimuth_deg,
    pair: e.paired_event_id,
    control: e.party_control,
    pControl: e.p_control,
    pParty: e.p_responsible,
    sensors: e.n_sensors,
    reports: e.report_ids.length,
  };
}

export function violationRecord(v) {
  return {
    id: v.violation_id,
    t: Date.parse(v.time),
    lon: v.lon,
    lat: v.lat,
    party: v.party,
    kind: v.type,
    severity: v.severity,
    pParty: v.p_party,
    description: v.description,
    event: v.event_id,
  };
}

function query(params) {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== null && v !== undefined) search.set(k, v);
  return search.toString();
}

/** Every item of a list with these filters, page after page. */
export async function readAll(path, params = {}) {
  const first = await api(`${path}?${query({ ...params, limit: PAGE, offset: 0 })}`);
  const items = [...first.data];
  const offsets = [];
  for (let offset = PAGE; offset < first.count; offset += PAGE) offsets.push(offset);
  for (let i = 0; i < offsets.length; i += PARALLEL) {
    const pages = await Promise.all(offsets.slice(i, i + PARALLEL).map(
      (offset) => api(`${path}?${query({ ...params, limit: PAGE, offset })}`)));
    for (const page of pages) items.push(...page.data);
  }
  return items;
}

/** The time of the newest item of a list (null when it is empty). */
export async function newestTime(path) {
  const head = await api(`${path}?limit=1`);
  if (!head.count) return null;
  const last = await api(`${path}?${query({ limit: 1, offset: head.count - 1 })}`);
  return last.data.length ? Date.parse(last.data[0].time) : null;
}

/** How many items the list has from ``start`` on. */
export async function countSince(path, start) {
  const head = await api(`${path}?${query({ limit: 1, start: iso(start) })}`);
  return head.count;
}

export function iso(ms) {
  return ms === null || ms === undefined ? null : new Date(ms).toISOString();
}

/**
 * The records of the loaded period, kept by id. Live updates ask for what is at or after the
 * newest record known; when the list then still counts more than is known (a record dated
 * earlier arrived late), the whole period is read again.
 */
export class RecordSet {
  constructor(source) {
    this.source = source;
    this.byId = new Map(); // located records: on the map
    this.seen = new Set(); // every id read, located or not
    this.start = null;
  }

  get records() {
    return [...this.byId.values()];
  }

  /** Replace the records (also used to load synthetic ones in the browser tests). */
  replace(records) {
    this.byId = new Map(records.filter(located).map((r) => [r.id, r]));
    this.seen = new Set(records.map((r) => r.id));
  }

  async load(start) {
    this.start = start;
    const items = await readAll(this.source.path, { start: iso(start) });
    this.replace(items.map(this.source.record));
    return this.byId.size;
  }

  newest() {
    let t = this.start ?? 0;
    for (const r of this.byId.values()) if (r.t > t) t = r.t;
    return t;
  }

  /** Read what arrived since the last look; true when anything changed. */
  async refresh() {
    const before = this.seen.size;
    const fresh = await readAll(this.source.path, { start: iso(this.newest()) });
    for (const r of fresh.map(this.source.record)) {
      this.seen.add(r.id);
      if (located(r)) this.byId.set(r.id, r);
    }
    const total = await countSince(this.source.path, this.start);
    if (total > this.seen.size) await this.load(this.start);
    return this.seen.size !== before;
  }
}

function located(r) {
  return Number.isFinite(r.lon) && Number.isFinite(r.lat);
}
