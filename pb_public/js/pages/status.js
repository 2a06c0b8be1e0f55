// status.js — the Service status page: what is happening now (maintenance,
// notices in force) and earlier notices, with their Atom feed.
import { request, list } from "../api.js";
import { t, lang } from "../i18n.js";
import { $, h, initPage, formatDate } from "../ui.js";

initPage();

const SEVERITY = { info: "status.info", warning: "status.warning", outage: "status.outage" };

function item(n) {
  const es = lang() === "es" && n.title_es;
  return h("li", { class: n.severity, id: `notice-${n.id}` },
    h("h3", {}, (es ? n.title_es : n.title_en)),
    h("p", { class: "small muted" }, t(SEVERITY[n.severity] || "status.info"), " — ",
      n.ends_at ? t("status.from_to", { from: formatDate(n.starts_at, true), to: formatDate(n.ends_at, true) })
        : t("status.since", { from: formatDate(n.starts_at, true) })),
    (es ? n.body_es : n.body_en) ? h("p", {}, es ? n.body_es : n.body_en) : null);
}

async function load() {
  if (lang() === "es") $("#feed-link").href += "?lang=es";
  try {
    const [now, past] = await Promise.all([
      request("GET", "/api/townhall/public/notices?on=site", undefined, { auth: false }),
      list("announcements", { filter: "shows_on != 'staff'", sort: "-starts_at", perPage: 50 }),
    ]);
    const current = new Set(now.notices.map((n) => n.id));
    const parts = [];
    if (now.maintenance.on) {
      parts.push(h("div", { class: "notice warn" }, h("p", {}, h("strong", {}, t("notices.maintenance")), " ",
        lang() === "es" ? now.maintenance.message_es : now.maintenance.message)));
    }
    if (now.notices.length) parts.push(h("ul", { class: "notice-list" }, now.notices.map(item)));
    if (!parts.length) parts.push(h("p", { class: "notice ok" }, t("status.all_ok")));
    $("#status-now").replaceChildren(...parts);
    const earlier = past.items.filter((n) => !current.has(n.id) && new Date(n.starts_at.replace(" ", "T")) <= new Date());
    $("#status-past").replaceChildren(earlier.length ? h("ul", { class: "notice-list" }, earlier.map(item)) : h("p", {}, t("status.none")));
  } catch {
    $("#status-now").replaceChildren(h("p", { class: "notice error" }, t("errors.load")));
  }
}

load();
