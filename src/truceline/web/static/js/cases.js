// The list of cases the role may read (a party's liaison: those its party alleged).

import { admit, api, CASE_READERS, el, formatTime, showError, t, tn } from "./session.js";

const me = await admit(CASE_READERS);
const body = document.getElementById("cases-body");
try {
  const { data, count } = await api("/cases?limit=1000");
  const rows = data.map((c) => el("tr", {},
    el("td", {}, el("a", { href: `/ui/cases/${encodeURIComponent(c.case_id)}` }, c.case_id)),
    el("td", {}, c.title),
    el("td", {}, t(c.status.replaceAll("_", " "))),
    el("td", {}, c.accused_party ?? "—"),
    el("td", {}, c.alleged_by ?? t("the mechanism")),
    el("td", {}, formatTime(c.opened_at))));
  body.replaceChildren(
    el("p", {}, me.role === "party_liaison"
      ? tn("{n} case alleged by {party}.", "{n} cases alleged by {party}.", count, { party: me.party })
      : tn("{n} case.", "{n} cases.", count)),
    el("div", { class: "table-wrap" }, el("table", {},
      el("thead", {}, el("tr", {}, ...[t("Case"), t("Title"), t("Status"), t("Accused"), t("Alleged by"), t("Opened")].map((h) => el("th", {}, h)))),
      el("tbody", {}, ...rows))));
} catch (error) {
  showError(body, error);
}
document.body.dataset.ready = "true";
