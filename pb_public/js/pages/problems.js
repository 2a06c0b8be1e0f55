// problems.js — the public list of reported problems, without personal data,
// and their map (js/map.js, loaded when the map scrolls into view). The list
// is the map's accessible equivalent: the same reports, the same filters.
import { request, list } from "../api.js";
import { t, lang } from "../i18n.js";
import { $, h, initPage, pick, formatDate, statusBadge, notice, param } from "../ui.js";

initPage();
let page = 1;
let categories = [];
const one = param("reference"); // ?reference=: one report (a map popup's link)

async function load() {
  try {
    categories = (await list("complaint_categories", { filter: "active = true", sort: "name_en", perPage: 200 })).items;
    for (const c of categories) $("#category").append(h("option", { value: c.code }, pick(c, "name")));
  } catch {
    /* the list still works without the filter */
  }
  render();
  watchMap();
}

/** categoryName is a report's kind in the reader's language. */
const categoryName = (r) => (lang() === "es" && r.category_es ? r.category_es : r.category);

/** card is one report of the list. */
function card(r) {
  return h("li", { class: "card", id: `report-${r.reference}` },
    h("h3", {}, `${r.reference} — ${categoryName(r)}`),
    h("p", {}, statusBadge("complaint", r.status)),
    h("ul", { class: "meta" },
      h("li", {}, t("problems.reported", { date: formatDate(r.created) })),
      r.lat !== undefined ? h("li", {}, t("problems.near", { lat: r.lat, lon: r.lon })) : null),
    r.description ? h("p", {}, r.description) : null,
    r.note ? h("p", {}, t("map.note", { note: r.note })) : null,
    r.photos.length ? h("ul", { class: "thumbs" }, r.photos.map((src) => h("li", {},
      h("img", { src, alt: t("problems.photo", { ref: r.reference }), loading: "lazy", width: "96", height: "96" })))) : null);
}

async function render() {
  if (one) return renderOne();
  const q = new URLSearchParams({ page: String(page), perPage: "20" });
  if ($("#status").value) q.set("status", $("#status").value);
  if ($("#category").value) q.set("category", $("#category").value);
  const box = $("#list");
  let res;
  try {
    res = await request("GET", `/api/townhall/public/reports?${q}`, undefined, { auth: false });
  } catch {
    notice(box, t("errors.load"), "error");
    return;
  }
  box.replaceChildren(res.items.length ? h("ul", { class: "cards" }, res.items.map(card)) : h("p", {}, t("problems.none")));
  const pages = Math.max(1, Math.ceil(res.totalItems / res.perPage));
  const pager = $("#pager");
  pager.setAttribute("aria-label", t("page.of", { page, pages }));
  pager.replaceChildren(...[
    page > 1 ? h("button", { type: "button", class: "button secondary", onclick: () => { page--; render(); } }, t("previous")) : null,
    h("span", {}, t("page.of", { page, pages })),
    page < pages ? h("button", { type: "button", class: "button secondary", onclick: () => { page++; render(); } }, t("next")) : null,
  ].filter(Boolean));
}

/** renderOne shows the one report a map popup linked to. */
async function renderOne() {
  $("#list-title").textContent = t("problems.one");
  const box = $("#list");
  const back = h("p", {}, h("a", { href: "/problems.html" }, t("problems.see_all")));
  try {
    const r = await request("GET", `/api/townhall/public/reports/map/${encodeURIComponent(one)}`, undefined, { auth: false });
    box.replaceChildren(h("ul", { class: "cards" }, card(r)), back);
  } catch {
    box.replaceChildren(h("p", {}, t("problems.not_found")), back);
  }
  $("#pager").hidden = true;
}

let shown = null; // the map, once drawn
let view = ""; // its bbox

/** watchMap draws the map when its place scrolls into view (the map code loads only then). */
function watchMap() {
  const box = $("#problems-map");
  const start = () => {
    import("../map.js").then((m) => m.showMarkers(box, [], { cluster: true, label: t("map.markers"), fit: false, popup, onView: (bbox) => { view = bbox; points(); } }))
      .then((s) => { shown = s; })
      .catch(() => { box.replaceChildren(h("p", { class: "notice warn" }, t("map.no_map"))); });
  };
  if (!("IntersectionObserver" in window)) return start();
  const io = new IntersectionObserver((entries) => {
    if (entries.some((e) => e.isIntersecting)) {
      io.disconnect();
      start();
    }
  }, { rootMargin: "200px" });
  io.observe(box);
}

/** points shows the reports in the map's view, filtered like the list. */
async function points() {
  if (!shown || !view) return;
  const q = new URLSearchParams({ bbox: view });
  if ($("#status").value) q.set("status", $("#status").value);
  if ($("#category").value) q.set("category", $("#category").value);
  try {
    const res = await request("GET", `/api/townhall/public/reports/map?${q}`, undefined, { auth: false });
    const names = Object.fromEntries(categories.map((c) => [c.code, pick(c, "name")]));
    shown.setItems(res.items.map((p) => ({ ...p, label: `${p.ref} — ${names[p.category] || p.category}` })));
    $("#map-note").textContent = res.truncated ? t("map.truncated", { n: res.cap }) : "";
  } catch {
    $("#map-note").textContent = t("errors.load");
  }
}

/** popup is a report's summary on the map, read when its popup opens. */
async function popup(p) {
  const r = await request("GET", `/api/townhall/public/reports/map/${encodeURIComponent(p.ref)}`, undefined, { auth: false });
  const text = r.description && r.description.length > 160 ? `${r.description.slice(0, 157)}…` : r.description;
  return h("div", {},
    h("p", {}, h("strong", {}, `${r.reference} — ${categoryName(r)}`)),
    h("p", {}, statusBadge("complaint", r.status), " ", t("problems.reported", { date: formatDate(r.created) })),
    text ? h("p", {}, text) : null,
    r.note ? h("p", {}, t("map.note", { note: r.note })) : null,
    h("p", {}, h("a", { href: `/problems.html?reference=${encodeURIComponent(r.reference)}` }, t("map.see_report"))));
}

$("#filters").addEventListener("change", () => { page = 1; render(); points(); });
$("#filters").addEventListener("submit", (ev) => ev.preventDefault());
load();
