// A case page: status, history, the draft, votes, findings, remedies and evidence, as the
// role may see them (a party's liaison: its own party's case, without the commission's
// workings; anyone else who may not see the case gets "not found").

import { admit, api, ApiError, CASE_READERS, el, facts, formatTime, showError, t } from "./session.js";

const me = await admit(CASE_READERS);
const caseId = decodeURIComponent(location.pathname.split("/").pop());
const body = document.getElementById("case-body");

function table(headings, rows) {
  if (!rows.length) return el("p", { class: "muted" }, t("None."));
  return el("div", { class: "table-wrap" }, el("table", {},
    el("thead", {}, el("tr", {}, ...headings.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows.map((cells) => el("tr", {}, ...cells.map((c) => el("td", {}, c ?? "—")))))));
}

function render(file) {
  const c = file.case;
  document.getElementById("title").textContent = t("Case {id}: {title}", { id: c.case_id, title: c.title || t("untitled") });
  document.title = `Truceline · ${t("Case {id}", { id: c.case_id })}`;
  const sections = [
    el("p", {}, el("span", { class: "badge", "data-status": c.status }, t(c.status.replaceAll("_", " ")))),
    facts([
      [t("Opened"), formatTime(c.opened_at)],
      [t("Alleged by"), c.alleged_by ?? t("the mechanism")],
      [t("Accused party"), c.accused_party],
      [t("Violations"), c.violation_ids.join(", ")],
    ]),
    el("h2", {}, t("History")),
    table([t("When"), t("From"), t("To"), t("By"), t("Reason")], file.transitions.map((step) => [
      formatTime(step.at), step.from_status ? t(step.from_status.replaceAll("_", " ")) : null,
      t(step.to_status.replaceAll("_", " ")), step.actor, step.reason])),
    el("h2", {}, t("Findings")),
    table([t("Finding"), t("Decided"), t("Responsible"), t("Standard of proof"), t("Severity"), t("For / against / abstaining"), t("Dissent")],
      file.findings.map((f) => [f.finding_id, formatTime(f.decided_at), f.responsible_party, t(f.standard_of_proof.replaceAll("_", " ")),
        f.severity, `${f.votes_for} / ${f.votes_against} / ${f.abstentions}`, f.dissent])),
  ];
  if (me.role !== "party_liaison") sections.push(...workings(file));
  body.replaceChildren(...sections);
}

/** The commission's workings (the staff only): draft, votes, remedies, evidence. */
function workings(file) {
  const d = file.draft;
  return [
    el("h2", {}, t("Draft finding")),
    d ? facts([
      [t("Responsible party"), d.responsible_party], [t("Standard of proof"), t(d.standard_of_proof.replaceAll("_", " "))],
      [t("Severity"), d.severity], [t("Drafted"), t("{time} by {author}", { time: formatTime(d.drafted_at), author: d.drafted_by })],
      [t("Summary"), d.summary],
    ]) : el("p", { class: "muted" }, t("None.")),
    el("h2", {}, t("Votes")),
    table([t("Round"), t("Member"), t("Choice"), t("Cast"), t("Statement")], file.votes.map((v) => [
      String(v.round), v.member_id, v.choice, formatTime(v.cast_at), v.statement])),
    el("h2", {}, t("Remedies")),
    table([t("Remedy"), t("Kind"), t("Party"), t("Due"), t("Complied"), t("Description")], file.remedies.map((r) => [
      r.remedy_id, t(r.kind.replaceAll("_", " ")), r.party, formatTime(r.due_at), formatTime(r.complied_at), r.description])),
    el("h2", {}, t("Evidence")),
    file.evidence_ids.length ? el("p", {}, file.evidence_ids.join(", ")) : el("p", { class: "muted" }, t("None.")),
  ];
}

try {
  render(await api(`/cases/${encodeURIComponent(caseId)}`));
} catch (error) {
  if (error instanceof ApiError && error.status === 404) {
    body.replaceChildren(el("p", { class: "error", role: "alert" }, t("No case {id} (or not one you may see).", { id: caseId })));
  } else {
    showError(body, error);
  }
}
document.body.dataset.ready = "true";
