// help.js — common questions and how to reach the office and departments.
import { list } from "../api.js";
import { t, lang } from "../i18n.js";
import { $, h, initPage, pick } from "../ui.js";
import { addHelpful } from "../helpful.js";

initPage();
addHelpful("/help.html");

async function load() {
  try {
    const [settings, depts] = await Promise.all([
      list("town_settings", { perPage: 1 }),
      list("departments", { filter: "active = true", sort: "name", perPage: 100 }),
    ]);
    const s = settings.items[0] || {};
    const hours = lang() === "es" && s.office_hours_es ? s.office_hours_es : s.office_hours;
    $("#office").replaceChildren(h("dl", { class: "facts" },
      s.office_email ? [h("dt", {}, t("help.email")), h("dd", {}, h("a", { href: `mailto:${s.office_email}` }, s.office_email))] : null,
      s.office_phone ? [h("dt", {}, t("help.phone")), h("dd", {}, h("a", { href: `tel:${s.office_phone.replace(/[^\d+]/g, "")}` }, s.office_phone))] : null,
      s.office_address ? [h("dt", {}, t("help.address")), h("dd", {}, s.office_address)] : null,
      hours ? [h("dt", {}, t("help.hours")), h("dd", {}, hours)] : null));
    // no departments set up yet: no empty heading either
    $("#departments").closest("section").hidden = depts.items.length === 0;
    $("#departments").replaceChildren(h("ul", { class: "cards" }, depts.items.map((d) => h("li", { class: "card" },
      h("h3", {}, pick(d, "name")),
      h("p", {}, pick(d, "description")),
      h("ul", { class: "meta" },
        d.public_email ? h("li", {}, h("a", { href: `mailto:${d.public_email}` }, d.public_email)) : null,
        d.public_phone ? h("li", {}, d.public_phone) : null)))));
  } catch {
    /* the questions above still help */
  }
}

load();
