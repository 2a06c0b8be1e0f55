// problems.js — the public list of reported problems, without personal data.
import { request, list } from "../api.js";
import { t, lang } from "../i18n.js";
import { $, h, initPage, pick, formatDate, statusBadge, notice } from "../ui.js";

initPage();
let page = 1;

async function load() {
  try {
    const cats = await list("complaint_categories", { filter: "active = true", sort: "name_en", perPage: 200 });
    for (const c of cats.items) $("#category").append(h("option", { value: c.code }, pick(c, "name")));
  } catch {
    /* the list still works without the filter */
  }
  render();
}

async function render() {
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
  box.replaceChildren(res.items.length ? h("ul", { class: "cards" }, res.items.map((r) => h("li", { class: "card" },
    h("h2", { class: "h3" }, `${r.reference} — ${lang() === "es" && r.category_es ? r.category_es : r.category}`),
    h("p", {}, statusBadge("complaint", r.status)),
    h("ul", { class: "meta" },
      h("li", {}, t("problems.reported", { date: formatDate(r.created) })),
      r.lat !== undefined ? h("li", {}, t("problems.near", { lat: r.lat, lon: r.lon })) : null),
    r.description ? h("p", {}, r.description) : null,
    r.photos.length ? h("ul", { class: "thumbs" }, r.photos.map((src) => h("li", {},
      h("img", { src, alt: t("problems.photo", { ref: r.reference }), loading: "lazy", width: "96", height: "96" })))) : null)))
    : h("p", {}, t("problems.none")));
  const pages = Math.max(1, Math.ceil(res.totalItems / res.perPage));
  const pager = $("#pager");
  pager.setAttribute("aria-label", t("page.of", { page, pages }));
  pager.replaceChildren(...[
    page > 1 ? h("button", { type: "button", class: "button secondary", onclick: () => { page--; render(); } }, t("previous")) : null,
    h("span", {}, t("page.of", { page, pages })),
    page < pages ? h("button", { type: "button", class: "button secondary", onclick: () => { page++; render(); } }, t("next")) : null,
  ].filter(Boolean));
}

$("#filters").addEventListener("change", () => { page = 1; render(); });
$("#filters").addEventListener("submit", (ev) => ev.preventDefault());
load();
