// queue.js — the department's work (directors: all departments), soonest
// deadline first, filtered, paged, and refreshed live when work arrives.
import { request, list, subscribe } from "../api.js";
import { $, $$, h, formatDate, statusBadge, announce, notice } from "../ui.js";
import { initStaff, deadlineBadge, age, shortcuts } from "./console.js";

const me = initStaff();
let page = 1;
let types = [];
let categories = [];

const STATUS = {
  permit: ["submitted", "in_review", "changes_requested", "approved", "issued", "denied", "withdrawn", "expired", "draft"],
  complaint: ["new", "acknowledged", "in_progress", "resolved", "closed", "rejected", "duplicate"],
};

async function setup() {
  if (!me) return;
  const form = $("#filters");
  const q = new URLSearchParams(location.search);
  for (const [k, v] of q) if (form.elements.namedItem(k)) {
    const el = form.elements.namedItem(k);
    if (el.type === "checkbox") el.checked = v === "1";
    else el.value = v;
  }
  try {
    [types, categories] = await Promise.all([
      list("permit_types", { perPage: 200, sort: "name_en" }).then((r) => r.items),
      list("complaint_categories", { perPage: 200, sort: "name_en" }).then((r) => r.items),
    ]);
  } catch {
    types = [];
  }
  fillOptions(q);
  form.addEventListener("change", (ev) => {
    if (ev.target.name === "kind") fillOptions(new URLSearchParams());
    page = 1;
    render();
  });
  form.addEventListener("submit", (ev) => { ev.preventDefault(); page = 1; render(); });
  $("#show-map").addEventListener("click", toggleMap);
  let typing;
  form.q.addEventListener("input", () => { clearTimeout(typing); typing = setTimeout(() => { page = 1; render(); }, 300); });
  await render();
  // new and changed work appears without reloading
  let pending, listening = false;
  subscribe(["permits/*", "complaints/*"], (ev) => {
    clearTimeout(pending);
    pending = setTimeout(async () => {
      await render();
      if (ev.action === "create") announce("New work arrived in the queue.");
    }, 300);
  }, () => {
    // after a reconnect, show what arrived while the connection was down
    if (listening) render();
    listening = true;
  });
  shortcuts([
    { key: "/", label: "Search the queue", run: () => $("#q").focus() },
    { key: "j", label: "Next request in the list", run: () => move(1) },
    { key: "k", label: "Previous request in the list", run: () => move(-1) },
    { key: "m", label: "My work", run: () => { location.href = "/staff/mywork.html"; } },
    { key: "w", label: "Walk-in or phone intake", run: () => { location.href = "/staff/intake.html"; } },
  ]);
}

function fillOptions(q) {
  const kind = $("#kind").value;
  const type = $("#type");
  type.replaceChildren(h("option", { value: "" }, "Any"),
    kind !== "complaint" ? h("optgroup", { label: "Permit types" }, types.map((t) => h("option", { value: `permit:${t.id}` }, t.name_en))) : null,
    kind !== "permit" ? h("optgroup", { label: "Problem categories" }, categories.map((c) => h("option", { value: `complaint:${c.id}` }, c.name_en))) : null);
  const status = $("#status");
  const states = kind ? STATUS[kind] : [...new Set([...STATUS.permit, ...STATUS.complaint])];
  status.replaceChildren(h("option", { value: "" }, "Open work"), h("option", { value: "all" }, "Any status"),
    states.map((s) => h("option", { value: s }, s.replace(/_/g, " "))));
  if (q.get("type")) type.value = q.get("type");
  if (q.get("status")) status.value = q.get("status");
}

function move(step) {
  const links = $$("#queue tbody a");
  if (!links.length) return;
  const i = links.indexOf(document.activeElement);
  links[Math.max(0, Math.min(links.length - 1, i + step))].focus();
}

/** filters are the queue's query parameters as the form sets them. */
function filters() {
  const form = $("#filters");
  const params = new URLSearchParams();
  if (form.kind.value) params.set("kind", form.kind.value);
  const [typeKind, typeID] = form.type.value.split(":");
  if (typeID) params.set(typeKind === "permit" ? "type" : "category", typeID);
  if (typeID && !form.kind.value) params.set("kind", typeKind);
  if (form.status.value) params.set("status", form.status.value);
  if (form.assignee.value) params.set("assignee", form.assignee.value);
  if (form.overdue.checked) params.set("overdue", "1");
  if (form.q.value.trim()) params.set("q", form.q.value.trim());
  return params;
}

async function render() {
  const params = filters();
  history.replaceState(null, "", `/staff/?${params}`);
  params.set("page", String(page));
  params.set("perPage", "25");
  if (!$("#queue-map").hidden && mapFilters !== filters().toString()) drawMap();
  const body = $("#queue tbody");
  let res;
  try {
    res = await request("GET", `/api/townhall/staff/queue?${params}`);
  } catch (err) {
    body.replaceChildren(h("tr", {}, h("td", { colspan: "6" }, err.message || "The queue could not be loaded.")));
    return;
  }
  body.replaceChildren(...(res.items.length ? res.items.map((r) => h("tr", {},
    h("td", {}, r.reference || h("span", { class: "muted" }, "not submitted")),
    h("td", {}, h("a", { href: `/staff/request.html?kind=${r.kind}&id=${r.id}` }, r.title), h("div", { class: "small muted" }, r.applicant || "")),
    h("td", {}, statusBadge(r.kind, r.status)),
    h("td", {}, age(r.created)),
    h("td", {}, r.deadline ? formatDate(r.deadline, true) : "—", " ", deadlineBadge(r)),
    h("td", {}, r.assignee_name || "—"))) : [h("tr", {}, h("td", { colspan: "6" }, "Nothing matches these filters."))]));
  const pages = Math.max(1, Math.ceil(res.totalItems / res.perPage));
  $("#summary").textContent = `${res.totalItems} item${res.totalItems === 1 ? "" : "s"}, page ${page} of ${pages}.`;
  $("#pager").replaceChildren(...[
    page > 1 ? h("button", { type: "button", class: "button secondary", onclick: () => { page--; render(); } }, "Previous page") : null,
    page < pages ? h("button", { type: "button", class: "button secondary", onclick: () => { page++; render(); } }, "Next page") : null,
  ].filter(Boolean));
}

const MAP_PAGES = 5; // the map shows at most 500 requests of the filters
let queueMap = null;
let mapFilters = null; // the filters the map shows

/** toggleMap shows or hides the map of the work the filters list (js/map.js loads on first use). */
function toggleMap() {
  const button = $("#show-map");
  const on = button.getAttribute("aria-pressed") !== "true";
  button.setAttribute("aria-pressed", String(on));
  $("#queue-map").hidden = !on;
  if (on) drawMap().then(() => { if (queueMap) queueMap.map.getContainer().focus(); });
}

/** drawMap puts the reports the filters list (the first 500) on the map, at their exact points. */
async function drawMap() {
  const note = $("#queue-map-note");
  mapFilters = filters().toString();
  const items = [];
  let total = 0;
  try {
    for (let p = 1; p <= MAP_PAGES; p++) {
      const params = filters();
      params.set("page", String(p));
      params.set("perPage", "100");
      const res = await request("GET", `/api/townhall/staff/queue?${params}`);
      items.push(...res.items);
      total = res.totalItems;
      if (p * 100 >= total) break;
    }
  } catch (err) {
    note.textContent = err.message || "The queue could not be loaded.";
    return;
  }
  const placed = items.filter((r) => r.lat !== undefined).map((r) => ({ ...r, label: `${r.reference || "Request"} — ${r.title}` }));
  note.textContent = `${placed.length} of ${total} on the map` +
    (items.length < total ? ` (the first ${items.length}; narrow the filters to see the rest)` : "") +
    (placed.length < items.length ? "; permits and reports without a map point are only in the list." : ".");
  try {
    const m = await import("../map.js");
    if (!queueMap) {
      queueMap = await m.showMarkers($("#queue-map-box"), placed, { cluster: true, label: "Map of the work in the queue", popup: (r) => h("div", {},
        h("p", {}, h("a", { href: `/staff/request.html?kind=${r.kind}&id=${r.id}` }, r.label)),
        h("p", {}, statusBadge(r.kind, r.status), " ", r.assignee_name || "Unassigned"),
        r.deadline ? h("p", {}, `Due ${formatDate(r.deadline, true)}`, " ", deadlineBadge(r)) : null) });
    } else {
      queueMap.setItems(placed);
    }
    if (placed.length) queueMap.map.fitBounds(placed.map((r) => [r.lat, r.lon]), { maxZoom: 16, padding: [16, 16] });
  } catch {
    note.textContent = "The map could not be opened.";
  }
}

/** targetsAtRisk lists, above the queue, this month's targets that are not met (only when there are some). */
async function targetsAtRisk() {
  if (!me) return;
  let ans;
  try {
    ans = await request("GET", "/api/townhall/staff/insights/targets");
  } catch {
    return; // the queue matters more than the targets: no list, no error
  }
  const risky = (ans.targets || []).filter((p) => p.at_risk);
  const box = $("#targets-at-risk");
  if (!risky.length) return;
  const names = ans.names?.departments || {};
  box.replaceChildren(
    h("h2", { id: "risk-h" }, `Targets at risk this month (${risky.length})`),
    h("ul", {}, risky.slice(0, 5).map((p) => h("li", {},
      p.target.scope.Department ? `${names[p.target.scope.Department] || "A department"}: ` : "", p.sentence))),
    h("p", {}, h("a", { href: "/staff/insights.html" }, risky.length > 5 ? `All ${risky.length} targets on the Insights page` : "Progress on the Insights page")));
  box.setAttribute("aria-labelledby", "risk-h");
  box.hidden = false;
}

setup().catch(() => notice($("#summary"), "The queue could not be loaded.", "error"));
targetsAtRisk();
