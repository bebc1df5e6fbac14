// The list of cases the role may read (a party's liaison: those its party alleged).

import { admit, api, CASE_READERS, el, formatTime, showError } from "./session.js";

const me = await admit(CASE_READERS);
const body = document.getElementById("cases-body");
try {
  const { data, count } = await api("/cases?limit=1000");
  const rows = data.map((c) => el("tr", {},
    el("td", {}, el("a", { href: `/ui/cases/${encodeURIComponent(c.case_id)}` }, c.case_id)),
    el("td", {}, c.title),
    el("td", {}, c.status.replaceAll("_", " ")),
    el("td", {}, c.accused_party ?? "—"),
    el("td", {}, c.alleged_by ?? "the mechanism"),
    el("td", {}, formatTime(c.opened_at))));
  body.replaceChildren(
    el("p", {}, `${count} case${count === 1 ? "" : "s"}${me.role === "party_liaison" ? ` alleged by ${me.party}` : ""}.`),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ...["Case", "Title", "Status", "Accused", "Alleged by", "Opened"].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows))));
} catch (error) {
  showError(body, error);
}
document.body.dataset.ready = "true";
