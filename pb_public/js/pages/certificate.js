// certificate.js — the printable certificate of an issued permit, with a QR
// code that opens its public verification page.
import { auth, getRecord, list } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, pick, param, formatDate, notice } from "../ui.js";

// the holder (a resident) or staff of the department print it
initPage();
const user = auth();
if (!user) location.replace("/signin.html?next=" + encodeURIComponent(location.pathname + location.search));
const box = $("#content");

async function load() {
  if (!user) return;
  let p;
  let town = {};
  try {
    p = await getRecord("permits", param("id"), { expand: "permit_type,department,owner" });
    town = (await list("town_settings", { perPage: 1 })).items[0] || {};
  } catch {
    notice(box, t("request.not_found"), "error");
    return;
  }
  if (!p.number) {
    notice(box, t("certificate.not_issued"), "warn");
    return;
  }
  const verifyURL = `${location.origin}/verify.html?number=${encodeURIComponent(p.number)}`;
  const holder = (p.expand.owner && p.expand.owner.name) || p.applicant_name || "";
  box.replaceChildren(h("article", { class: "certificate" },
    h("p", { class: "muted" }, town.town_name || t("site.name"), " — ", pick(p.expand.department, "name")),
    h("h1", {}, t("certificate.title")),
    h("p", { class: "cert-number" }, h("strong", {}, p.number)),
    h("dl", { class: "facts" },
      h("dt", {}, t("verify.type")), h("dd", {}, pick(p.expand.permit_type, "name")),
      h("dt", {}, t("verify.address")), h("dd", {}, p.site_address || "—"),
      holder ? [h("dt", {}, t("certificate.holder")), h("dd", {}, holder)] : null,
      h("dt", {}, t("verify.issued")), h("dd", {}, formatDate(p.issued_at)),
      h("dt", {}, t("verify.expires")), h("dd", {}, p.expires_at ? formatDate(p.expires_at) : t("verify.no_expiry"))),
    h("figure", { class: "qr" },
      h("img", { src: `/api/townhall/verify/${encodeURIComponent(p.number)}/qr.svg`, alt: t("certificate.scan", { url: verifyURL }), width: "160", height: "160" }),
      h("figcaption", { class: "small" }, t("certificate.scan", { url: verifyURL })))),
  h("div", { class: "button-row no-print" }, h("button", { type: "button", class: "button", onclick: () => window.print() }, t("certificate.print"))));
  document.title = `${p.number} — ${t("certificate.title")}`;
}

load();
