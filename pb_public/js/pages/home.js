// home.js — the service catalogue: permit types and problem categories,
// searchable and filtered by department.
import { list } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, pick, formatMoney, notice } from "../ui.js";

initPage();

let permitTypes = [];
let categories = [];
let departments = [];

async function load() {
  try {
    const [types, cats, depts] = await Promise.all([
      list("permit_types", { perPage: 200, sort: "name_en", filter: "active = true" }),
      list("complaint_categories", { perPage: 200, sort: "name_en", filter: "active = true" }),
      list("departments", { perPage: 200, sort: "name" }),
    ]);
    permitTypes = types.items;
    categories = cats.items;
    departments = depts.items;
  } catch {
    notice($("#permits"), t("errors.load"), "error");
    return;
  }
  const select = $("#department");
  for (const d of departments) select.append(h("option", { value: d.id }, pick(d, "name")));
  const q = new URLSearchParams(location.search);
  $("#q").value = q.get("q") || "";
  select.value = q.get("department") || "";
  render();
}

function deptName(id) {
  return pick(departments.find((d) => d.id === id), "name");
}

function matches(item, words, dept) {
  if (dept && item.department !== dept) return false;
  const hay = [item.name_en, item.name_es, item.description_en, item.description_es, item.code, deptName(item.department)]
    .join(" ").toLowerCase();
  return words.every((w) => hay.includes(w));
}

function render() {
  const words = $("#q").value.toLowerCase().split(/\s+/).filter(Boolean);
  const dept = $("#department").value;
  const shownTypes = permitTypes.filter((x) => matches(x, words, dept));
  const shownCats = categories.filter((x) => matches(x, words, dept));
  // a fresh install has no services yet: say so, not "nothing matches"
  const none = permitTypes.length + categories.length === 0 ? t("home.empty") : t("home.none");

  $("#permits").replaceChildren(...(shownTypes.length ? shownTypes.map((p) => h("li", { class: "card" },
    h("h3", {}, h("a", { href: `/service.html?permit=${encodeURIComponent(p.code)}` }, pick(p, "name"))),
    h("ul", { class: "meta" },
      h("li", {}, deptName(p.department)),
      h("li", {}, p.fee > 0 ? t("home.fee", { fee: formatMoney(p.fee) }) : t("home.free")),
      p.turnaround_days ? h("li", {}, t("home.days", { days: p.turnaround_days })) : null),
    h("p", {}, pick(p, "description")))) : [h("li", {}, none)]));

  $("#categories").replaceChildren(...(shownCats.length ? shownCats.map((c) => h("li", { class: "card" },
    h("h3", {}, h("a", { href: `/service.html?category=${encodeURIComponent(c.code)}` }, pick(c, "name"))),
    h("ul", { class: "meta" },
      h("li", {}, deptName(c.department)),
      h("li", {}, t("home.hours", { hours: c.resolve_hours }))),
    h("p", {}, pick(c, "description")))) : [h("li", {}, none)]));

  $("#count").textContent = t("home.count", { n: shownTypes.length + shownCats.length });
}

$("#filters").addEventListener("input", render);
$("#filters").addEventListener("submit", (ev) => ev.preventDefault());
load();
