// my.js — the resident's permit applications and problem reports.
import { auth, list, eq } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, pick, formatDate, statusBadge, notice } from "../ui.js";

const user = initPage({ requireSignIn: true });

async function load() {
  if (!user) return;
  const me = auth().record.id;
  try {
    const [permits, reports] = await Promise.all([
      list("permits", { filter: eq("owner", me), sort: "-updated", perPage: 200, expand: "permit_type" }),
      list("complaints", { sort: "-updated", perPage: 200, expand: "category" }),
    ]);
    $("#permits").replaceChildren(permits.items.length
      ? h("ul", { class: "cards" }, permits.items.map((p) => h("li", { class: "card" },
        h("h3", {}, h("a", { href: p.status === "draft" ? `/apply.html?id=${p.id}` : `/request.html?kind=permit&id=${p.id}` },
          pick(p.expand && p.expand.permit_type, "name"), p.site_address ? ` — ${p.site_address}` : "")),
        h("p", {}, statusBadge("permit", p.status), " ", p.number || p.reference ? h("strong", {}, p.number || p.reference) : null),
        h("p", { class: "muted small" }, t("my.updated", { date: formatDate(p.updated) })),
        p.status === "draft" ? h("p", {}, h("a", { href: `/request.html?kind=permit&id=${p.id}` }, t("my.open"))) : null)))
      : h("p", {}, t("my.none_permits"), " ", h("a", { href: "/" }, t("nav.services"))));
    $("#reports").replaceChildren(reports.items.length
      ? h("ul", { class: "cards" }, reports.items.map((c) => h("li", { class: "card" },
        h("h3", {}, h("a", { href: `/request.html?kind=complaint&id=${c.id}` }, `${c.reference} — ${pick(c.expand && c.expand.category, "name")}`)),
        h("p", {}, statusBadge("complaint", c.status)),
        c.address ? h("p", {}, c.address) : null,
        h("p", { class: "muted small" }, t("my.updated", { date: formatDate(c.updated) })))))
      : h("p", {}, t("my.none_reports"), " ", h("a", { href: "/report.html" }, t("nav.report"))));
  } catch {
    notice($("#permits"), t("errors.load"), "error");
  }
}

load();
