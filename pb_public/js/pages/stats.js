// stats.js — the public statistics page: the last 12 months per problem
// category and permit type (small counts hidden), and the open data files.
import { request } from "../api.js";
import { t, lang } from "../i18n.js";
import { $, h, initPage, formatDate } from "../ui.js";

initPage();

function number(v, digits = 0) {
  return new Intl.NumberFormat(lang() === "es" ? "es-US" : "en-US", { maximumFractionDigits: digits, minimumFractionDigits: digits }).format(v);
}

// cell shows a figure, "fewer than 5" when hidden, or a dash when there is none.
function cell(c, format) {
  if (c.hidden) return h("td", { class: "muted" }, t("stats.fewer"));
  if (c.value === null || c.value === undefined) return h("td", {}, h("span", { "aria-hidden": "true" }, "—"), h("span", { class: "visually-hidden" }, t("stats.none")));
  return h("td", {}, format(c.value));
}

function table(rows, kind) {
  if (!rows.length) return h("p", {}, t("stats.nothing"));
  const head = ["stats.service", "stats.department", "stats.received", kind === "permit" ? "stats.decided" : "stats.resolved",
    "stats.median", kind === "permit" ? "stats.within" : "stats.ontime", "stats.rating"];
  const caption = t(kind === "permit" ? "stats.permits" : "stats.reports");
  // on a phone the table scrolls sideways: the keyboard must reach it too
  return h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, h("table", {},
    h("caption", { class: "visually-hidden" }, caption),
    h("thead", {}, h("tr", {}, head.map((k) => h("th", { scope: "col" }, t(k))))),
    h("tbody", {}, rows.map((r) => h("tr", {},
      h("th", { scope: "row" }, (lang() === "es" && r.name_es) || r.name_en || r.code),
      h("td", {}, r.department_name),
      cell(r.received, (v) => number(v)),
      cell(r.resolved, (v) => number(v)),
      cell(r.median_days, (v) => number(v, 1)),
      cell(r.on_time, (v) => number(v, 1) + " %"),
      cell(r.average_rating, (v) => number(v, 1) + " / 5"))))));
}

async function load() {
  try {
    const s = await request("GET", "/api/townhall/public/stats", undefined, { auth: false });
    $("#stats-window").textContent = t("stats.window", { from: formatDate(s.from + " 12:00"), to: formatDate(s.to + " 12:00") });
    $("#stats-reports").replaceChildren(table(s.services.filter((r) => r.kind === "report"), "report"));
    $("#stats-permits").replaceChildren(table(s.services.filter((r) => r.kind === "permit"), "permit"));
    const license = s.license_url ? h("a", { href: s.license_url, rel: "license" }, s.license) : s.license;
    $("#stats-license").replaceChildren(t("stats.license"), " ", license, ".");
  } catch {
    $("#stats-reports").replaceChildren(h("p", { class: "notice error" }, t("errors.load")));
  }
}

load();
