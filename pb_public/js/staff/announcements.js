// announcements.js — directors publish, edit and end notices (outages,
// warnings, information) for the resident site, the staff console or both.
import { list, createRecord, updateRecord, deleteRecord } from "../api.js";
import { $, h, formatDate, showErrors, showApiError, announce } from "../ui.js";
import { initStaff } from "./console.js";

const me = initStaff();
const box = $("#content");
const SEVERITY = { outage: "Outage", warning: "Warning", info: "Information" };
const WHERE = { both: "Resident site and staff console", site: "Resident site", staff: "Staff console" };

/** pbDate turns a datetime-local value (the viewer's time) into PocketBase's UTC format. */
function pbDate(local) {
  if (!local) return "";
  return new Date(local).toISOString().replace("T", " ");
}

function state(n) {
  const now = new Date();
  const start = new Date(n.starts_at.replace(" ", "T"));
  const end = n.ends_at ? new Date(n.ends_at.replace(" ", "T")) : null;
  if (start > now) return "Scheduled";
  if (end && end <= now) return "Ended";
  return "In force";
}

async function render() {
  if (!me) return;
  if (me.role !== "director") {
    box.replaceChildren(h("div", { class: "notice warn", role: "alert" }, h("p", {}, "Only directors publish notices.")));
    return;
  }
  let items = [];
  let topics = [];
  try {
    [items, topics] = await Promise.all([
      list("announcements", { sort: "-starts_at", perPage: 100 }).then((r) => r.items),
      list("alert_topics", { filter: "active = true", sort: "sort,name_en", perPage: 100 }).then((r) => r.items),
    ]);
  } catch (err) {
    box.replaceChildren(h("p", { class: "notice error" }, err.message || "The notices could not be loaded."));
    return;
  }
  const field = (id, label, input) => h("div", { class: "field" }, h("label", { for: id }, label), input);
  const form = h("form", { id: "new-notice", novalidate: true },
    h("h2", {}, "Publish a notice"),
    field("title_en", "Title (English)", h("input", { type: "text", id: "title_en", name: "title_en", maxlength: "200" })),
    field("title_es", "Title (Spanish)", h("input", { type: "text", id: "title_es", name: "title_es", maxlength: "200", lang: "es" })),
    field("body_en", "Text (English)", h("textarea", { id: "body_en", name: "body_en", maxlength: "4000" })),
    field("body_es", "Text (Spanish)", h("textarea", { id: "body_es", name: "body_es", maxlength: "4000", lang: "es" })),
    field("severity", "Severity", h("select", { id: "severity", name: "severity" }, Object.entries(SEVERITY).map(([v, l]) => h("option", { value: v }, l)))),
    field("shows_on", "Where it shows", h("select", { id: "shows_on", name: "shows_on" }, Object.entries(WHERE).map(([v, l]) => h("option", { value: v }, l)))),
    field("starts_at", "Starts (empty: now)", h("input", { type: "datetime-local", id: "starts_at", name: "starts_at" })),
    field("ends_at", "Ends (empty: until you end it)", h("input", { type: "datetime-local", id: "ends_at", name: "ends_at" })),
    topics.length ? h("fieldset", { class: "field", id: "notice-topics" },
      h("legend", {}, "Email it to residents who follow"),
      h("p", { class: "hint", id: "notice-topics-hint" }, "Residents subscribed to a ticked topic get this notice by email once, when it is in force (notices of the resident site only)."),
      topics.map((tp) => h("div", { class: "choice" },
        h("input", { type: "checkbox", id: `topic-${tp.code}`, name: "topics", value: tp.id, "aria-describedby": "notice-topics-hint" }),
        h("label", { for: `topic-${tp.code}` }, tp.name_en)))) : null,
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, "Publish")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!form.title_en.value.trim()) return showErrors(form, { title_en: "Write a title in English (Spanish too, if you can)." });
    try {
      await createRecord("announcements", {
        title_en: form.title_en.value.trim(), title_es: form.title_es.value.trim(),
        body_en: form.body_en.value.trim(), body_es: form.body_es.value.trim(),
        severity: form.severity.value, shows_on: form.shows_on.value,
        starts_at: pbDate(form.starts_at.value) || new Date().toISOString().replace("T", " "),
        ends_at: pbDate(form.ends_at.value),
        topics: [...form.querySelectorAll("input[name=topics]:checked")].map((x) => x.value),
      });
      announce("The notice is published.");
      render();
    } catch (err) {
      showApiError(form, err);
    }
  });
  const table = items.length ? h("div", { class: "table-wrap" }, h("table", { id: "notices-table" },
    h("caption", {}, "Every notice, newest first"),
    h("thead", {}, h("tr", {}, ["Notice", "Severity", "Where", "When", "State", ""].map((c) => h("th", { scope: "col" }, c)))),
    h("tbody", {}, items.map((n) => h("tr", { "data-id": n.id },
      h("td", {}, n.title_en, n.title_es ? h("div", { class: "small muted", lang: "es" }, n.title_es) : null),
      h("td", {}, SEVERITY[n.severity] || n.severity),
      h("td", {}, WHERE[n.shows_on] || n.shows_on),
      h("td", {}, formatDate(n.starts_at, true), n.ends_at ? ` – ${formatDate(n.ends_at, true)}` : ""),
      h("td", {}, state(n)),
      h("td", {}, state(n) === "Ended" ? null : h("button", {
        type: "button", class: "button secondary", onclick: async () => {
          await updateRecord("announcements", n.id, { ends_at: new Date().toISOString().replace("T", " ") });
          announce(`Ended: ${n.title_en}`);
          render();
        },
      }, "End now", h("span", { class: "visually-hidden" }, `: ${n.title_en}`)),
      " ", h("button", {
        type: "button", class: "button secondary", onclick: async () => {
          if (!confirm(`Delete the notice "${n.title_en}"? It also leaves the Service status page.`)) return;
          await deleteRecord("announcements", n.id);
          render();
        },
      }, "Delete", h("span", { class: "visually-hidden" }, `: ${n.title_en}`)))))))) : h("p", {}, "No notices yet.");
  box.replaceChildren(form, h("h2", {}, "Notices"), table);
}

render();
