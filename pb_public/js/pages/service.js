// service.js — one permit type or problem category: what it is, who handles
// it, the fee, the documents and the expected time.
import { list, eq } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, pick, txt, formatMoney, param, setTitle } from "../ui.js";
import { addHelpful } from "../helpful.js";

initPage();
if (/^[A-Za-z0-9_-]{1,40}$/.test(param("permit"))) addHelpful(`/service.html?permit=${param("permit")}`);
else if (/^[A-Za-z0-9_-]{1,40}$/.test(param("category"))) addHelpful(`/service.html?category=${param("category")}`);

const ACCEPT = { pdf: "PDF", image: "JPEG, PNG, WebP" };

async function load() {
  const box = $("#service");
  const permitCode = param("permit");
  const categoryCode = param("category");
  let item;
  let dept;
  try {
    const res = permitCode
      ? await list("permit_types", { filter: eq("code", permitCode), perPage: 1 })
      : await list("complaint_categories", { filter: eq("code", categoryCode), perPage: 1 });
    item = res.items[0];
    if (item) dept = (await list("departments", { filter: eq("id", item.department), perPage: 1 })).items[0];
  } catch {
    item = null;
  }
  if (!item) {
    box.replaceChildren(h("h1", {}, t("service.title")), h("p", { class: "notice warn" }, t("service.not_found")));
    return;
  }
  const facts = h("dl", { class: "facts" },
    h("dt", {}, t("service.department")), h("dd", {}, pick(dept, "name")));
  const parts = [h("h1", {}, pick(item, "name")), h("p", {}, pick(item, "description")), facts];

  if (permitCode) {
    facts.append(
      h("dt", {}, t("service.fee")), h("dd", {}, item.fee > 0 ? formatMoney(item.fee) : t("home.free")),
      item.turnaround_days ? h("dt", {}, t("service.time")) : null,
      item.turnaround_days ? h("dd", {}, t("service.days", { days: item.turnaround_days })) : null,
      item.validity_days ? h("dt", {}, t("service.validity")) : null,
      item.validity_days ? h("dd", {}, t("service.validity_days", { days: item.validity_days })) : null);
    const docs = item.required_documents || [];
    parts.push(h("h2", {}, t("service.documents")),
      docs.length ? h("ul", {}, docs.map((d) => h("li", {}, h("strong", {}, txt(d.label)),
        d.help ? [" — ", txt(d.help)] : null, " ",
        h("span", { class: "muted" }, t("service.accepts", { types: (d.accept && d.accept.length ? d.accept : ["pdf", "image"]).map((a) => ACCEPT[a]).join(", ") })))))
        : h("p", {}, t("service.no_documents")));
    const fields = item.fields || [];
    if (fields.length) parts.push(h("h2", {}, t("service.questions")), h("ul", {}, fields.map((f) => h("li", {}, txt(f.label)))));
    parts.push(h("p", {}, h("a", { class: "button", href: `/apply.html?type=${encodeURIComponent(item.code)}` }, t("service.apply"))));
  } else {
    parts.push(h("p", {}, t("service.ack", { hours: item.ack_hours, resolve: item.resolve_hours })),
      h("p", {}, h("a", { class: "button", href: `/report.html?category=${encodeURIComponent(item.code)}` }, t("service.report"))));
  }
  if (dept && (dept.public_email || dept.public_phone)) {
    parts.push(h("p", { class: "muted" }, t("service.contact", { email: dept.public_email || "—", phone: dept.public_phone || "—" })));
  }
  box.replaceChildren(...parts);
  setTitle(pick(item, "name"));
}

load();
