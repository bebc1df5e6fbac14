// A case page: status, history, the draft, votes, findings, remedies and evidence, as the
// role may see them (a party's liaison: its own party's case, without the commission's
// workings; anyone else who may not see the case gets "not found").

import { admit, api, ApiError, CASE_READERS, el, facts, formatTime, showError } from "./session.js";

const me = await admit(CASE_READERS);
const caseId = decodeURIComponent(location.pathname.split("/").pop());
const body = document.getElementById("case-body");

function table(headings, rows) {
  if (!rows.length) return el("p", { class: "muted" }, "None.");
  return el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c ?? "—")))))));
}

function render(file) {
  const c = file.case;
  document.getElementById("title").textContent = `Case ${c.case_id}: ${c.title || "untitled"}`;
  document.title = `Truceline · Case ${c.case_id}`;
  const sections = [
    el("p", {}, el("span", { class: "badge", "data-status": c.status }, c.status.replaceAll("_", " "))),
    facts([
      ["Opened", formatTime(c.opened_at)],
      ["Alleged by", c.alleged_by ?? "the mechanism"],
      ["Accused party", c.accused_party],
      ["Violations", c.violation_ids.join(", ")],
    ]),
    el("h2", {}, "History"),
    table(["When", "From", "To", "By", "Reason"], file.transitions.map((t) => [
      formatTime(t.at), t.from_status?.replaceAll("_", " "), t.to_status.replaceAll("_", " "), t.actor, t.reason])),
    el("h2", {}, "Findings"),
    table(["Finding", "Decided", "Responsible", "Standard of proof", "Severity", "For / against / abstaining", "Dissent"],
      file.findings.map((f) => [f.finding_id, formatTime(f.decided_at), f.responsible_party, f.standard_of_proof.replaceAll("_", " "),
        f.severity, `${f.votes_for} / ${f.votes_against} / ${f.abstentions}`, f.dissent])),
  ];
  if (me.role !== "party_liaison") sections.push(...workings(file));
  body.replaceChildren(...sections);
}

/** The commission's workings (the staff only): draft, votes, remedies, evidence. */
function workings(file) {
  const d = file.draft;
  return [
    el("h2", {}, "Draft finding"),
    d ? facts([
      ["Responsible party", d.responsible_party], ["Standard of proof", d.standard_of_proof.replaceAll("_", " ")],
      ["Severity", d.severity], ["Drafted", `${formatTime(d.drafted_at)} by ${d.drafted_by}`], ["Summary", d.summary],
    ]) : el("p", { class: "muted" }, "None."),
    el("h2", {}, "Votes"),
    table(["Round", "Member", "Choice", "Cast", "Statement"], file.votes.map((v) => [
      String(v.round), v.member_id, v.choice, formatTime(v.cast_at), v.statement])),
    el("h2", {}, "Remedies"),
    table(["Remedy", "Kind", "Party", "Due", "Complied", "Description"], file.remedies.map((r) => [
      r.remedy_id, r.kind, r.party, formatTime(r.due_at), formatTime(r.complied_at), r.description])),
    el("h2", {}, "Evidence"),
    file.evidence_ids.length ? el("p", {}, file.evidence_ids.join(", ")) : el("p", { class: "muted" }, "None."),
  ];
}

try {
  render(await api(`/cases/${encodeURIComponent(caseId)}`));
} catch (error) {
  if (error instanceof ApiError && error.status === 404) {
    body.replaceChildren(el("p", { class: "error", role: "alert" }, `No case ${caseId} (or not one you may see).`));
  } else {
    showError(body, error);
  }
}
document.body.dataset.ready = "true";
