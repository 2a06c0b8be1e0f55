// mywork.js — what is assigned to me, what is overdue in my department, what
// was escalated to my level, and residents' latest ratings (those waiting for
// an answer first).
import { request, list } from "../api.js";
import { $, h, formatDate, statusBadge } from "../ui.js";
import { initStaff, deadlineBadge } from "./console.js";

const me = initStaff();

function table(rows, caption) {
  if (!rows.length) return h("p", {}, "Nothing here.");
  return h("div", { class: "table-wrap" }, h("table", {},
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, ["Reference", "Request", "Status", "Deadline"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("td", {}, r.reference || h("span", { class: "muted" }, "not submitted")),
      h("td", {}, h("a", { href: `/staff/request.html?kind=${r.kind}&id=${r.id}` }, r.title)),
      h("td", {}, statusBadge(r.kind, r.status)),
      h("td", {}, r.deadline ? formatDate(r.deadline, true) : "—", " ", deadlineBadge(r)))))));
}

/** ratings lists the department's latest ratings: unanswered comments first, then the newest. */
async function ratings() {
  const res = await list("feedback", { sort: "-created", perPage: 50, skipTotal: "1", expand: "complaint,permit" });
  const rows = res.items.map((f) => {
    const r = f.expand.complaint || f.expand.permit;
    const k = f.expand.complaint ? "complaint" : "permit";
    const what = !r ? "A request" : k === "complaint"
      ? `Report ${r.reference}${r.address ? ` — ${r.address}` : ""}`
      : `Application ${r.reference || r.number || ""}${r.site_address ? ` — ${r.site_address}` : ""}`;
    return { f, k, r, what, waiting: f.comment && !f.answered_at };
  }).sort((a, b) => Number(b.waiting) - Number(a.waiting));
  if (!rows.length) return h("p", {}, "No ratings yet.");
  return h("div", { class: "table-wrap" }, h("table", {},
    h("caption", { class: "visually-hidden" }, "Residents' ratings"),
    h("thead", {}, h("tr", {}, ["Request", "Rating", "Comment", "Answer"].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, rows.map(({ f, k, r, what, waiting }) => h("tr", {},
      h("td", {}, r ? h("a", { href: `/staff/request.html?kind=${k}&id=${r.id}` }, what) : what),
      h("td", {}, `${f.rating} of 5`, h("div", { class: "small muted" }, formatDate(f.created))),
      h("td", {}, f.comment || h("span", { class: "muted" }, "—")),
      h("td", {}, f.answered_at ? `Answered ${formatDate(f.answered_at)}` : waiting ? h("span", { class: "badge warn" }, "Waiting for an answer") : "—"))))));
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
    $("#ratings").replaceChildren(await ratings().catch(() => h("p", { class: "notice error" }, "The ratings could not be loaded.")));
  } catch (err) {
    $("#assigned").replaceChildren(h("p", { class: "notice error" }, err.message || "My work could not be loaded."));
  }
}

load();
