// intake.js — staff file a problem report or a permit application for a
// walk-in or phone caller (an existing resident account, or contact details
// only), with photos or documents.
import { list, createRecord, upload, like, request, ApiError } from "../api.js";
import { $, h, txt, showErrors, showApiError, busy, announce } from "../ui.js";
import { fieldInput, answers, attachAddressSearch, addressPicks } from "../permitform.js";
import { addressSearch } from "../addresssearch.js";
import { initStaff } from "./console.js";

const me = initStaff();
const box = $("#content");
let categories = [];
let types = [];

async function load() {
  if (!me) return;
  [categories, types] = await Promise.all([
    list("complaint_categories", { filter: "active = true", sort: "name_en", perPage: 200 }).then((r) => r.items),
    list("permit_types", { filter: "active = true", sort: "name_en", perPage: 200 }).then((r) => r.items),
  ]);
  const choose = h("fieldset", { class: "field" }, h("legend", {}, "What do they want to file?"),
    h("div", { class: "choice" }, h("input", { type: "radio", id: "what-report", name: "what", value: "report", checked: true }),
      h("label", { for: "what-report" }, "A problem report")),
    h("div", { class: "choice" }, h("input", { type: "radio", id: "what-permit", name: "what", value: "permit" }),
      h("label", { for: "what-permit" }, "A permit application")),
    h("div", { class: "choice" }, h("input", { type: "radio", id: "what-confirm", name: "what", value: "confirm" }),
      h("label", { for: "what-confirm" }, "Confirm a resident's email address (their email did not arrive)")));
  const slot = h("div", { id: "intake-form" });
  const forms = { permit: permitForm, report: reportForm, confirm: confirmForm };
  choose.addEventListener("change", () => slot.replaceChildren(forms[choose.querySelector("input:checked").value]()));
  box.replaceChildren(choose, slot);
  slot.replaceChildren(reportForm());
}

const text = (id, label, attrs = {}) => h("div", { class: "field" }, h("label", { for: id }, label), h("input", { type: "text", id, name: id, ...attrs }));

function contactFields() {
  return [
    text("contact_name", "Name", { autocomplete: "off" }),
    text("contact_phone", "Phone", { type: "tel" }),
    text("contact_email", "Email (they will get updates)", { type: "email" }),
  ];
}

function reportForm() {
  const form = h("form", { id: "report-intake", novalidate: true },
    h("h2", {}, "Problem report"),
    h("fieldset", { class: "field" }, h("legend", {}, "How did they contact us?"),
      h("div", { class: "choice" }, h("input", { type: "radio", id: "source-phone", name: "source", value: "phone", checked: true }), h("label", { for: "source-phone" }, "Phone")),
      h("div", { class: "choice" }, h("input", { type: "radio", id: "source-walk", name: "source", value: "walk_in" }), h("label", { for: "source-walk" }, "At the counter"))),
    h("div", { class: "field" }, h("label", { for: "category" }, "Kind of problem"),
      h("select", { id: "category", name: "category" }, h("option", { value: "" }, "Choose one"), categories.map((c) => h("option", { value: c.id }, c.name_en)))),
    h("fieldset", { class: "field" }, h("legend", {}, "Caller (all optional)"), contactFields()),
    h("div", { class: "field" }, h("label", { for: "description" }, "What is the problem?"), h("textarea", { id: "description", name: "description", maxlength: "5000" })),
    h("div", { class: "choice field" }, h("input", { type: "checkbox", id: "description_private", name: "description_private" }),
      h("label", { for: "description_private" }, "Keep the description off the public list")),
    text("address", "Where is it?"),
    h("div", { class: "field" }, h("label", { for: "photos" }, "Photos (optional)"), h("input", { type: "file", id: "photos", name: "photos", multiple: true, accept: "image/*" })),
    h("div", { id: "progress" }),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, "File the report")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const errors = {};
    if (!form.category.value) errors.category = "Choose the kind of problem.";
    if (!form.description.value.trim()) errors.description = "Describe the problem.";
    if (Object.keys(errors).length) return showErrors(form, errors);
    const button = form.querySelector("button[type=submit]");
    busy(button, true);
    try {
      const report = await createRecord("complaints", {
        category: form.category.value, source: form.source.value,
        caller_name: form.contact_name.value.trim(), caller_phone: form.contact_phone.value.trim(), caller_email: form.contact_email.value.trim(),
        description: form.description.value.trim(), description_private: form.description_private.checked, address: form.address.value.trim(),
        ...(form.dataset.lat ? { location: { lat: Number(form.dataset.lat), lon: Number(form.dataset.lon) } } : {}),
      });
      await uploadAll([...form.photos.files], (file) => ({ complaint: report.id, kind: "photo", file }));
      done(`Report ${report.reference} is filed.`, `/staff/request.html?kind=complaint&id=${report.id}`);
    } catch (err) {
      showApiError(form, err);
    } finally {
      busy(button, false);
    }
  });
  // a picked address gives the report its point
  addressSearch(form.address, {
    onPick: (item) => { form.dataset.lat = item.lat; form.dataset.lon = item.lon; },
    onType: () => { delete form.dataset.lat; delete form.dataset.lon; },
  });
  return form;
}

function permitForm() {
  const questions = h("div", { id: "questions" });
  const docs = h("div", { id: "intake-docs" });
  const residentSelect = h("select", { id: "owner", name: "owner" }, h("option", { value: "" }, "No account: use the contact details below"));
  const form = h("form", { id: "permit-intake", novalidate: true },
    h("h2", {}, "Permit application"),
    h("div", { class: "field" }, h("label", { for: "permit_type" }, "Permit"),
      h("select", { id: "permit_type", name: "permit_type", onchange: () => drawQuestions(form, questions, docs) },
        h("option", { value: "" }, "Choose one"), types.map((t) => h("option", { value: t.id }, t.name_en)))),
    h("fieldset", { class: "field" }, h("legend", {}, "Applicant"),
      h("div", { class: "field" }, h("label", { for: "resident-search" }, "Find an existing resident account by name"),
        h("input", { type: "search", id: "resident-search", name: "resident_search", oninput: (ev) => findResidents(ev.target.value, residentSelect) })),
      h("div", { class: "field" }, h("label", { for: "owner" }, "Account"), residentSelect),
      contactFields()),
    text("site_address", "Address of the property or site", { autocomplete: "off" }),
    questions, docs,
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, "Save the application")),
    h("p", { class: "muted small" }, "It is saved as a draft; submit it for the applicant from its page once the documents are in."));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const type = types.find((t) => t.id === form.permit_type.value);
    if (!type) return showErrors(form, { permit_type: "Choose the permit." });
    if (!form.owner.value && !form.contact_name.value.trim()) return showErrors(form, { contact_name: "Give the applicant's name, or choose their account." });
    const button = form.querySelector("button[type=submit]");
    busy(button, true);
    try {
      const body = { permit_type: type.id, site_address: form.site_address.value.trim(), data: answers(form, type.fields), address_picks: addressPicks(form) };
      if (form.owner.value) body.owner = form.owner.value;
      else Object.assign(body, { applicant_name: form.contact_name.value.trim(), applicant_phone: form.contact_phone.value.trim(), applicant_email: form.contact_email.value.trim() });
      const permit = await createRecord("permits", body);
      const files = (type.required_documents || []).map((d) => [d.key, form.querySelector(`#doc-${d.key}`)]).filter(([, input]) => input && input.files[0]);
      await uploadAll(files.map(([key, input]) => ({ key, file: input.files[0] })).map((x) => x), (x) => ({ permit: permit.id, kind: x.key, file: x.file }));
      done("The application is saved as a draft.", `/staff/request.html?kind=permit&id=${permit.id}`);
    } catch (err) {
      showApiError(form, err);
    } finally {
      busy(button, false);
    }
  });
  attachAddressSearch(form);
  return form;
}

function drawQuestions(form, questions, docs) {
  const type = types.find((t) => t.id === form.permit_type.value);
  if (!type) return questions.replaceChildren();
  questions.replaceChildren(h("h3", {}, "Questions"), ...(type.fields || []).map((f) => fieldInput(f, undefined)));
  docs.replaceChildren(h("h3", {}, "Documents"), ...(type.required_documents || []).map((d) => h("div", { class: "field" },
    h("label", { for: `doc-${d.key}` }, txt(d.label)), h("input", { type: "file", id: `doc-${d.key}`, name: `doc-${d.key}` }))));
  attachAddressSearch(form);
}

/**
 * confirmForm finds a resident by name or email and confirms their email
 * address at the counter, once staff have checked a photo ID.
 */
function confirmForm() {
  const results = h("ul", { class: "plain", id: "confirm-results", "aria-live": "polite" });
  const form = h("form", { id: "confirm-intake", novalidate: true },
    h("h2", {}, "Confirm a resident's email address"),
    h("p", {}, "For residents whose confirmation email did not arrive. Check a photo ID with the account's name first."),
    h("div", { class: "field" }, h("label", { for: "confirm-q" }, "Name, email address or phone"),
      h("input", { type: "search", id: "confirm-q", name: "q", autocomplete: "off" })),
    h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit" }, "Find")),
    results);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const q = form.q.value.trim();
    if (q.length < 2) return showErrors(form, { q: "Type at least two characters of the name, email address or phone number." });
    const res = await request("GET", `/api/townhall/residents?q=${encodeURIComponent(q)}`).catch(() => ({ items: [] }));
    results.replaceChildren(...(res.items.length ? res.items.map(residentRow) : [h("li", {}, "Nobody found.")]));
    announce(`${res.items.length} resident${res.items.length === 1 ? "" : "s"} found.`);
  });
  return form;
}

function residentRow(u) {
  const li = h("li", { class: "card" }, h("p", {}, h("strong", {}, u.name || "(no name)"), ` — ${u.email}`));
  if (u.verified) {
    li.append(h("p", { class: "small" }, "Email address confirmed."));
    return li;
  }
  const box = h("input", { type: "checkbox", id: `id-${u.id}` });
  const button = h("button", { type: "button", class: "button", "data-confirm": u.id }, "Confirm identity and email");
  const status = h("p", { class: "small", "aria-live": "polite" });
  button.addEventListener("click", async () => {
    busy(button, true);
    try {
      await request("POST", `/api/townhall/residents/${encodeURIComponent(u.id)}/confirm-email`, { identity_checked: box.checked });
      li.replaceChildren(h("p", {}, h("strong", {}, u.name || "(no name)"), ` — ${u.email}`),
        h("p", { class: "notice ok", role: "status" }, "Email address confirmed: they can apply and report problems now."));
    } catch (err) {
      status.textContent = (err instanceof ApiError && (err.fields.identity_checked || err.message)) || "Could not confirm it.";
      busy(button, false);
    }
  });
  li.append(h("div", { class: "choice" }, box, h("label", { for: `id-${u.id}` }, "I checked a photo ID with this name")),
    h("div", { class: "button-row" }, button), status);
  return li;
}

let searching;
function findResidents(q, select) {
  clearTimeout(searching);
  searching = setTimeout(async () => {
    const filter = like("name", q);
    if (!filter) return;
    const res = await list("users", { filter, sort: "name", perPage: 20 }).catch(() => ({ items: [] }));
    select.replaceChildren(h("option", { value: "" }, "No account: use the contact details below"),
      res.items.map((u) => h("option", { value: u.id }, `${u.name}${u.address ? ` — ${u.address}` : ""}`)));
    announce(`${res.items.length} resident${res.items.length === 1 ? "" : "s"} found.`);
  }, 250);
}

async function uploadAll(items, fields) {
  const progress = $("#progress") || $("#intake-docs");
  for (const item of items) {
    const f = fields(item);
    const fd = new FormData();
    for (const [k, v] of Object.entries(f)) fd.append(k, v);
    const bar = h("progress", { max: "100", value: "0", "aria-label": `Uploading ${f.file.name}` });
    progress.append(bar);
    try {
      await upload("POST", "/api/collections/documents/records", fd, (p) => { bar.value = Math.round(p * 100); });
    } catch (err) {
      throw err instanceof ApiError ? new ApiError(err.status, `${f.file.name}: ${err.fields.file || err.message}`, {}) : err;
    }
  }
}

function done(message, href) {
  box.replaceChildren(h("div", { class: "notice ok", role: "status", tabindex: "-1", id: "done" },
    h("p", {}, message), h("p", {}, h("a", { class: "button", href }, "Open it"))),
    h("p", {}, h("a", { href: "/staff/intake.html" }, "File another one")));
  $("#done").focus();
}

load();
