// mywork.js — what is assigned to me, what is overdue in my department, and
// what was escalated to my level.
import { request } from "../api.js";
import { $, h, formatDate, statusBadge } from "../ui.js";
import { initStaff, deadlineBadge } from "./console.js";

const me = initStaff();

function table(rows, caption) {
  if (!rows.length) return h("p", {}, "Nothing here.");
  return h("div", { class: "table-wrap" }, h("table", {},
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, ["Reference", "Request", "Status", "Deadline"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("td", {}, r.reference || h("span", { class: "muted" }, "not issued")),
      h("td", {}, h("a", { href: `/staff/request.html?kind=${r.kind}&id=${r.id}` }, r.title)),
      h("td", {}, statusBadge(r.kind, r.status)),
      h("td", {}, r.deadline ? formatDate(r.deadline, true) : "—", " ", deadlineBadge(r)))))));
}

async function load() {
  if (!me) return;
  const q = (params) => request("GET", `/api/townhall/staff/queue?${new URLSearchParams({ perPage: "100", ...params })}`).then((r) => r.items);
  try {
    const [assigned, overdue, escalated] = await Promise.all([q({ assignee: "me" }), q({ overdue: "1" }), q({ escalated: "1", kind: "complaint" })]);
    // level 1 reaches the assignee, 2 the supervisors, 3 the directors
    const myLevel = { clerk: 1, supervisor: 2, director: 3 }[me.role] || 1;
    const mine = escalated.filter((r) => (myLevel === 1 ? r.assignee === me.id : r.escalation_level >= myLevel));
    $("#assigned").replaceChildren(table(assigned, "Assigned to me"));
    $("#overdue").replaceChildren(table(overdue, "Overdue in my department"));
    $("#escalated").replaceChildren(table(mine, "Escalated to me"));
  } catch (err) {
    $("#assigned").replaceChildren(h("p", { class: "notice error" }, err.message || "My work could not be loaded."));
  }
}

load();
