// request.js — one request as staff work it: every field (with the labels of
// the form definition), documents, the whole history (internal entries
// marked), notes and comments, assignment, payment once a fee is due, the
// resident's rating and its answer, and exactly the actions the server allows
// now. Two columns on wide screens (the request | what to do; history |
// notes), one on phones.
import { getRecord, list, updateRecord, upload, action, availableActions, subscribe, fileURL, eq, ApiError } from "../api.js";
import { $, h, txt, param, formatDate, formatMoney, statusBadge, showErrors, showApiError, announce, busy } from "../ui.js";
import { initStaff, deadlineBadge, shortcuts } from "./console.js";

const me = initStaff();
const kind = param("kind") === "complaint" ? "complaint" : "permit";
const collection = kind === "permit" ? "permits" : "complaints";
const id = param("id");
const box = $("#content");
const EXPAND = kind === "permit" ? "permit_type,department,owner,assignee,created_by,paid_by" : "category,department,reporter,assignee,created_by,duplicate_of";
let record = null;
let actions = [];
let acting = false; // an action of ours is under way: its answer redraws the page

// what each lifecycle action is called on its button, and its key
// (the destructive ones are styled as such and confirmed in their form)
const ACTIONS = {
  submit: ["Submit for the applicant", "u"],
  start_review: ["Start review", "s"],
  request_changes: ["Ask for changes", "c"],
  approve: ["Approve", "p"],
  deny: ["Deny", "d"],
  issue: ["Issue the permit", "i"],
  acknowledge: ["Acknowledge", "a"],
  start: ["Start work", "s"],
  resolve: ["Resolve", "r"],
  close: ["Close", "l"],
  reject: ["Reject", "x"],
  mark_duplicate: ["Mark as duplicate", "u"],
};

async function load() {
  if (!me) return;
  try {
    record = await getRecord(collection, id, { expand: EXPAND });
  } catch {
    let why = "This request does not exist, or it belongs to another department.";
    try {
      await availableActions(collection, id);
    } catch (err) {
      if (err instanceof ApiError && err.message) why = err.message;
    }
    box.replaceChildren(h("h1", {}, "Request not available"), h("div", { class: "notice error", role: "alert" }, h("p", {}, why)),
      h("p", {}, h("a", { href: "/staff/" }, "Back to the queue")));
    return;
  }
  await render();
  subscribe([`${collection}/${id}`, "events/*"], async (ev) => {
    if (ev.record.collectionName === collection) {
      await refresh();
    } else if (ev.record[kind] === id) {
      renderHistory();
    }
  }, () => refresh().catch(() => {})); // catch up on what changed before we were listening
  shortcuts([
    ...Object.entries(ACTIONS).map(([name, [label, key]]) => ({
      key, label, hidden: () => !actions.includes(name), run: () => startAction(name),
    })),
    { key: "n", label: "Write an internal note", run: () => focusComment(true) },
    { key: "m", label: "Write a comment to the resident", run: () => focusComment(false) },
    { key: "g", label: "Assign to me", run: () => assign(me.id) },
    { key: "q", label: "Back to the queue", run: () => { location.href = "/staff/"; } },
  ]);
}

/** refresh reads the request again and redraws it if someone else changed it. */
async function refresh() {
  if (acting) return;
  const fresh = await getRecord(collection, id, { expand: EXPAND });
  if (fresh.updated === record.updated) return; // our own change, already shown
  const before = record.status;
  record = fresh;
  await render();
  if (before !== record.status) announce(`The status changed to ${record.status.replace(/_/g, " ")}.`);
}

function title() {
  if (kind === "permit") return `${record.reference ? `${record.reference} — ` : ""}${record.expand.permit_type ? record.expand.permit_type.name_en : "Permit"}${record.site_address ? ` — ${record.site_address}` : ""}`;
  return `${record.reference} — ${record.expand.category ? record.expand.category.name_en : "Report"}`;
}

async function render() {
  actions = await availableActions(collection, id).then((r) => r.actions.map((a) => a.action)).catch(() => []);
  const openForm = $("#action-details");
  const keep = openForm && actions.includes(openForm.dataset.action) ? openForm : null;
  // a redraw (someone else's change) keeps the open form, and the caret in it
  const focused = keep && keep.contains(document.activeElement) ? document.activeElement : null;
  const deadline = kind === "permit" ? record.review_due_at : record.status === "new" ? record.ack_due_at : record.resolve_due_at;
  const overdue = deadline && new Date(deadline.replace(" ", "T")) < new Date() && !["issued", "denied", "withdrawn", "expired", "resolved", "closed", "rejected", "duplicate"].includes(record.status);
  const column = (...parts) => h("div", { class: "request-column" }, parts.filter(Boolean));
  box.replaceChildren(
    h("h1", {}, title()),
    h("p", {}, statusBadge(kind, record.status), " ", deadlineBadge({ overdue, escalation_level: record.escalation_level || 0 })),
    h("div", { class: "request-layout" },
      column(
        h("section", { "aria-labelledby": "facts-h" }, h("h2", { id: "facts-h" }, "Details"), facts()),
        pointMap(),
        answers(),
        h("section", { "aria-labelledby": "docs-h" }, h("h2", { id: "docs-h" }, kind === "permit" ? "Documents" : "Photos"),
          h("div", { id: "documents" }, "Loading…"), staffUpload())),
      column(
        actionsPanel(),
        actions.includes("payment") ? paymentForm() : null,
        actions.includes("assign") ? assignForm() : null,
        h("section", { "aria-labelledby": "rating-h", id: "rating", hidden: true }))),
    h("div", { class: "request-layout" },
      column(h("section", { "aria-labelledby": "history-h" }, h("h2", { id: "history-h" }, "History"), h("ol", { class: "timeline", id: "history" }))),
      column(commentForm())));
  document.title = `${title()} — Staff console`;
  if (keep) {
    $("#action-form").replaceChildren(keep);
    if (focused) focused.focus();
  }
  renderDocuments();
  renderHistory();
  renderRating();
}

function actionsPanel() {
  const lifecycle = actions.filter((a) => ACTIONS[a]);
  const row = h("div", { class: "button-row", id: "actions" }, lifecycle.map((name) =>
    h("button", { type: "button", class: DESTRUCTIVE[name] ? "button danger" : "button", "data-action": name, onclick: () => startAction(name) },
      ACTIONS[name][0], h("span", { class: "visually-hidden" }, ` (shortcut ${ACTIONS[name][1]})`))));
  if (kind === "permit" && record.status === "issued") {
    row.append(h("a", { class: "button secondary", href: `/certificate.html?id=${id}` }, "Print view"));
  }
  return h("section", { "aria-labelledby": "actions-h" }, h("h2", { id: "actions-h" }, "Actions"),
    lifecycle.length || row.childNodes.length ? row : h("p", { class: "muted" }, "No action is possible in this state."),
    h("div", { id: "action-form" }));
}

const NEEDS_COMMENT = ["request_changes", "deny", "resolve", "reject"];
// actions that end a request against the resident's wish: red, and confirmed
const DESTRUCTIVE = {
  deny: "Denying is final: the applicant is told at once and cannot change the application any more.",
  reject: "Rejecting closes the report without work: the resident is told at once.",
};
// how each payment method is written
const METHODS = { cash: "Cash", check: "Check", card: "Card", transfer: "Bank transfer", waived: "Waived" };

async function startAction(name) {
  const slot = $("#action-form");
  if (!NEEDS_COMMENT.includes(name) && name !== "mark_duplicate") return run(name, {});
  const form = h("form", { novalidate: true, id: "action-details", "data-action": name },
    name === "mark_duplicate"
      ? h("div", { class: "field" }, h("label", { for: "duplicate_of" }, "Reference of the original report"),
        h("input", { type: "text", id: "duplicate_of", name: "duplicate_of", placeholder: "SR-2026-00017" }))
      : null,
    h("div", { class: "field" }, h("label", { for: "action-comment" },
      name === "mark_duplicate" ? "Note (optional)" : "Comment for the resident (required)"),
      h("textarea", { id: "action-comment", name: "comment" })),
    DESTRUCTIVE[name] ? h("p", { class: "notice warn", role: "note" }, DESTRUCTIVE[name]) : null,
    DESTRUCTIVE[name] ? h("div", { class: "choice" },
      h("input", { type: "checkbox", id: "action-confirm", name: "confirm" }),
      h("label", { for: "action-confirm" }, `Yes, ${ACTIONS[name][0].toLowerCase()} this ${kind === "permit" ? "application" : "report"}`)) : null,
    h("div", { class: "button-row" },
      h("button", { class: DESTRUCTIVE[name] ? "button danger" : "button", type: "submit" }, ACTIONS[name][0]),
      h("button", { class: "button secondary", type: "button", onclick: () => slot.replaceChildren() }, "Cancel")));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const body = { comment: form.comment.value.trim() };
    if (form.duplicate_of) body.duplicate_of = form.duplicate_of.value.trim();
    if (NEEDS_COMMENT.includes(name) && !body.comment) return showErrors(form, { comment: "Write what the resident needs to know." });
    if (form.confirm && !form.confirm.checked) return showErrors(form, { confirm: "Tick the box to confirm; this cannot be undone." });
    run(name, body, form);
  });
  slot.replaceChildren(form);
  (form.duplicate_of || form.comment).focus();
}

async function run(name, body, form) {
  const button = $(`[data-action="${name}"]`);
  busy(button, true);
  acting = true;
  try {
    record = await action(collection, id, name, body);
    record = await getRecord(collection, id, { expand: EXPAND });
    await render();
    announce(`Done: ${ACTIONS[name][0]}. The status is now ${record.status.replace(/_/g, " ")}.`);
  } catch (err) {
    if (form) showApiError(form, err);
    else {
      const slot = $("#action-form");
      const f = h("form", {});
      slot.replaceChildren(f);
      showApiError(f, err);
    }
  } finally {
    acting = false;
    busy(button, false);
  }
}

function facts() {
  const dl = h("dl", { class: "facts" });
  const add = (label, value) => { if (value !== undefined && value !== null && value !== "") dl.append(h("dt", {}, label), h("dd", {}, value)); };
  const person = (u) => (u ? `${u.name || ""}${u.email ? ` <${u.email}>` : ""}${u.phone ? `, ${u.phone}` : ""}` : "");
  add("Department", record.expand.department && record.expand.department.name);
  add("Assigned to", record.expand.assignee ? record.expand.assignee.name : "Nobody");
  if (kind === "permit") {
    add("Reference", record.reference || "Not submitted yet");
    add("Permit number", record.number);
    add("Applicant", person(record.expand.owner) || [record.applicant_name, record.applicant_email, record.applicant_phone].filter(Boolean).join(", "));
    add("Site address", record.site_address);
    add("Filed by staff", record.expand.created_by && record.expand.created_by.name);
    add("Submitted", formatDate(record.submitted_at, true));
    add("Review due", formatDate(record.review_due_at, true));
    add("Decided", formatDate(record.decided_at, true));
    add("Issued", formatDate(record.issued_at));
    add("Expires", formatDate(record.expires_at));
    if (record.fee > 0) add("Fee", record.paid_at
      ? `${formatMoney(record.fee)} — paid ${formatMoney(record.paid_amount)} by ${METHODS[record.payment_method] || record.payment_method} (${record.payment_reference || "no reference"}) on ${formatDate(record.paid_at)}${record.expand.paid_by ? `, recorded by ${record.expand.paid_by.name}` : ""}`
      : `${formatMoney(record.fee)} — not paid`);
  } else {
    add("Reference", record.reference);
    add("Reporter", person(record.expand.reporter) || [record.caller_name, record.caller_phone, record.caller_email].filter(Boolean).join(", ") || "Anonymous");
    add("Source", record.source === "open311" && record.source_client ? `Open311 (${record.source_client})` : record.source);
    add("Address", record.address);
    if (record.has_location) add("Map point", `${record.location.lat}, ${record.location.lon}`);
    add("Description", record.description);
    add("Description public", record.description_private ? "No (kept private)" : "Yes");
    add("Acknowledge by", formatDate(record.ack_due_at, true));
    add("Resolve by", formatDate(record.resolve_due_at, true));
    add("Escalation level", record.escalation_level ? String(record.escalation_level) : "");
    add("Resolution", record.resolution_note);
    add("Reason for rejection", record.reject_reason);
    add("Duplicate of", record.expand.duplicate_of && record.expand.duplicate_of.reference);
    add("Filed by staff", record.expand.created_by && record.expand.created_by.name);
  }
  add("Created", formatDate(record.created, true));
  return dl;
}

let mapBox = null; // the report's small map, kept across redraws while its point stays
let mapAt = "";

/** pointMap is the report's exact point on a small map with its address (js/map.js loads when it scrolls into view). */
function pointMap() {
  if (kind !== "complaint" || !record.has_location) return null;
  const { lat, lon } = record.location;
  const at = `${lat},${lon}`;
  if (mapBox && mapAt === at) return mapBox;
  mapAt = at;
  const holder = h("div", { id: "point-map", class: "small-map" });
  mapBox = h("section", { "aria-labelledby": "map-h" }, h("h2", { id: "map-h" }, "Map"),
    h("p", { class: "small" }, record.address ? `${record.address} (${lat}, ${lon})` : `${lat}, ${lon}`), holder);
  const draw = () => import("../map.js").then((m) => m.showPoint(holder, { lat, lon, label: record.address || at }))
    .catch(() => { holder.replaceChildren(h("p", { class: "notice warn" }, "The map could not be opened.")); });
  if (!("IntersectionObserver" in window)) draw();
  else {
    const io = new IntersectionObserver((entries) => { if (entries.some((e) => e.isIntersecting)) { io.disconnect(); draw(); } }, { rootMargin: "200px" });
    io.observe(holder);
  }
  return mapBox;
}

/** answer is how an answer reads: the option's label, Yes/No, a number with its unit, a calendar date. */
function answer(f, v) {
  if (v === undefined || v === null || v === "" || (Array.isArray(v) && !v.length)) return "—";
  const option = (x) => { const o = (f.options || []).find((o) => o.value === x); return o ? txt(o.label) : String(x); };
  switch (f.kind) {
    case "yes_no": return v ? "Yes" : "No";
    case "choice": return option(v);
    case "multi_choice": return (Array.isArray(v) ? v : [v]).map(option).join(", ");
    case "number": return `${Number(v).toLocaleString("en-US")}${f.unit ? ` ${txt(f.unit)}` : ""}`;
    case "date": {
      const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(v)); // a calendar day, not an instant
      return m ? new Intl.DateTimeFormat("en-US", { dateStyle: "long" }).format(new Date(+m[1], +m[2] - 1, +m[3])) : String(v);
    }
    default: return `${Array.isArray(v) ? v.join(", ") : v}${f.unit ? ` ${txt(f.unit)}` : ""}`;
  }
}

function answers() {
  // a permit's form, or a report category's extra questions
  const fields = (kind === "permit" ? record.expand.permit_type && record.expand.permit_type.fields : record.expand.category && record.expand.category.questions) || [];
  if (!fields.length) return null;
  const data = (kind === "permit" ? record.data : record.answers) || {};
  const dl = h("dl", { class: "facts", id: "answers" });
  for (const f of fields) dl.append(h("dt", {}, txt(f.label)), h("dd", { "data-key": f.key }, answer(f, data[f.key])));
  return h("section", { "aria-labelledby": "answers-h" }, h("h2", { id: "answers-h" }, "Answers"), dl);
}

/** docLabel is what a document is, in the words of the permit type's list. */
function docLabel(d) {
  if (kind !== "permit") return "Photo";
  const req = ((record.expand.permit_type && record.expand.permit_type.required_documents) || []).find((r) => r.key === d.kind);
  return req ? txt(req.label) : d.kind === "other" ? "Other document" : d.kind;
}

async function renderDocuments() {
  const el = $("#documents");
  try {
    const docs = (await list("documents", { filter: eq(kind, id), sort: "created", perPage: 200 })).items;
    if (!docs.length) return el.replaceChildren(h("p", {}, "None yet."));
    const rows = await Promise.all(docs.map(async (d) => {
      const image = (d.content_type || "").startsWith("image/");
      const [href, thumb] = await Promise.all([fileURL(d), image ? fileURL(d, "file", "96x96") : Promise.resolve("/img/pdf.svg")]);
      const name = d.original_name || d.file;
      // pictures open in a new tab; PDFs are always saved, never shown by the
      // browser (the server sends them as attachments: a PDF may carry scripts)
      const link = image
        ? h("a", { href, target: "_blank", rel: "noopener" }, h("img", { src: thumb, alt: "", width: "96", height: "96" }),
          h("span", { class: "visually-hidden" }, `Open ${name} in a new tab`))
        : h("a", { href, download: name }, h("img", { src: thumb, alt: "", width: "96", height: "96" }),
          h("span", { class: "visually-hidden" }, `Download ${name}`));
      return h("li", { "data-kind": d.kind },
        link,
        h("div", { class: "small" }, h("strong", {}, docLabel(d)), h("br"), name),
        h("div", { class: "small muted" }, `${Math.round((d.size || 0) / 1024)} KB, ${formatDate(d.created, true)}`),
        activeWarning(d),
        kind === "complaint" && image ? h("div", { class: "choice small" },
          h("input", { type: "checkbox", id: `public-${d.id}`, checked: d.public, onchange: (ev) => setPublic(d, ev.target) }),
          h("label", { for: `public-${d.id}` }, "Show on the public list")) : null);
    }));
    el.replaceChildren(h("ul", { class: "thumbs" }, rows));
  } catch {
    el.replaceChildren(h("p", {}, "The documents could not be loaded."));
  }
}

/** What each kind of active PDF content means, for the warning. */
const ACTIVE = {
  script: "scripts",
  auto_action: "actions that run when it is opened",
  launch: "commands that start programs",
  embedded_file: "attached files",
  submit_form: "forms that send data",
  rich_media: "embedded media",
};

/** activeWarning warns staff before they open a PDF that carries active content. */
function activeWarning(d) {
  const found = Array.isArray(d.active_content) ? d.active_content : [];
  if (!found.length) return null;
  return h("p", { class: "notice warn small", role: "note", "data-active": found.join(" ") },
    `Caution: this PDF contains ${found.map((k) => ACTIVE[k] || k).join(", ")}. It is saved to your computer rather than opened; ` +
    "open it only in a viewer with scripts turned off, or ask the resident to print it to PDF again and upload the new file.");
}

async function setPublic(doc, box) {
  try {
    await updateRecord("documents", doc.id, { public: box.checked });
    announce(box.checked ? "The photo is shown on the public list." : "The photo is hidden from the public list.");
  } catch (err) {
    box.checked = !box.checked;
    announce(err.message || "Could not change it.");
  }
}

function staffUpload() {
  if (!actions.includes("upload")) return null;
  const kinds = kind === "permit"
    ? [...((record.expand.permit_type && record.expand.permit_type.required_documents) || []).map((d) => [d.key, txt(d.label)]), ["other", "Other document"]]
    : [["photo", "Photo"]];
  const form = h("form", { id: "staff-upload", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "upload-kind" }, "Document"),
      h("select", { id: "upload-kind", name: "kind" }, kinds.map(([v, l]) => h("option", { value: v }, l)))),
    h("div", { class: "field" }, h("label", { for: "upload-file" }, "File"), h("input", { type: "file", id: "upload-file", name: "file" })),
    h("progress", { max: "100", value: "0", hidden: true, "aria-label": "Upload progress" }),
    h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit" }, "Upload")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const file = form.file.files[0];
    if (!file) return showErrors(form, { file: "Choose a file." });
    const fd = new FormData();
    fd.append(kind, id);
    fd.append("kind", form.kind.value);
    fd.append("file", file);
    const bar = form.querySelector("progress");
    bar.hidden = false;
    try {
      await upload("POST", "/api/collections/documents/records", fd, (p) => { bar.value = Math.round(p * 100); });
      form.reset();
      bar.hidden = true;
      announce(`${file.name} uploaded.`);
      renderDocuments();
    } catch (err) {
      bar.hidden = true;
      showApiError(form, err);
    }
  });
  return h("details", {}, h("summary", {}, "Add a document"), form);
}

function paymentForm() {
  const form = h("form", { id: "payment", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "amount" }, "Amount received (dollars)"),
      h("input", { type: "text", inputmode: "decimal", id: "amount", name: "amount", value: String(record.fee) })),
    h("div", { class: "field" }, h("label", { for: "method" }, "How it was paid"),
      h("select", { id: "method", name: "method" }, Object.entries(METHODS).map(([m, label]) => h("option", { value: m }, label)))),
    h("div", { class: "field" }, h("label", { for: "reference" }, "Receipt or check number"),
      h("input", { type: "text", id: "reference", name: "reference" })),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, "Record payment")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await action(collection, id, "payment", { amount: Number(form.amount.value.replace(/[$,]/g, "")), method: form.method.value, reference: form.reference.value.trim() });
      record = await getRecord(collection, id, { expand: EXPAND });
      await render();
      announce("The payment is recorded.");
    } catch (err) {
      showApiError(form, err);
    }
  });
  return h("section", { "aria-labelledby": "payment-h" }, h("h2", { id: "payment-h" }, `Payment of ${formatMoney(record.fee)}`), form);
}

/** renderRating shows the resident's rating and comment, and the answer (or the form to answer). */
async function renderRating() {
  const el = $("#rating");
  if (!el) return;
  let fb;
  try {
    fb = (await list("feedback", { filter: eq(kind, id), expand: "answered_by", perPage: 1, skipTotal: "1" })).items[0];
  } catch {
    return;
  }
  if (!fb) return;
  const parts = [h("h2", { id: "rating-h" }, "Resident's rating"),
    h("p", { class: "rating" }, h("strong", {}, `${fb.rating} of 5`), ` — ${formatDate(fb.created, true)}`),
    fb.comment ? h("blockquote", { id: "rating-comment" }, fb.comment) : h("p", { class: "muted" }, "No comment.")];
  if (fb.answered_at) {
    parts.push(h("p", { class: "small" }, `Answered by ${fb.expand && fb.expand.answered_by ? fb.expand.answered_by.name : "staff"} on ${formatDate(fb.answered_at, true)}:`),
      h("blockquote", { id: "rating-answer" }, fb.answer));
  } else if (actions.includes("answer_rating")) {
    const form = h("form", { id: "rating-answer-form", novalidate: true },
      h("div", { class: "field" }, h("label", { for: "answer" }, "Answer the resident (they see it in the history and are emailed)"),
        h("textarea", { id: "answer", name: "comment", maxlength: "5000" })),
      h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit" }, "Send the answer")));
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      if (!form.comment.value.trim()) return showErrors(form, { comment: "Write your answer to the resident." });
      try {
        await action(collection, id, "answer_rating", { comment: form.comment.value.trim() });
        actions = actions.filter((a) => a !== "answer_rating");
        announce("Your answer was sent to the resident.");
        renderRating();
        renderHistory();
      } catch (err) {
        showApiError(form, err);
      }
    });
    parts.push(form);
  }
  el.replaceChildren(...parts);
  el.hidden = false;
}

function assignForm() {
  const select = h("select", { id: "assignee-select", name: "assignee" }, h("option", { value: "" }, "Nobody"));
  const dept = record.department;
  list("staff", { filter: `active = true && (${eq("department", dept)} || role = 'director')`, sort: "name", perPage: 200 }).then((res) => {
    for (const s of res.items) select.append(h("option", { value: s.id, selected: s.id === record.assignee }, `${s.name} (${s.role})`));
  }).catch(() => null);
  const form = h("form", { id: "assign", novalidate: true, class: "toolbar" },
    h("div", { class: "field" }, h("label", { for: "assignee-select" }, "Assigned to"), select),
    h("button", { class: "button secondary", type: "submit" }, "Assign"),
    h("button", { class: "button secondary", type: "button", onclick: () => assign(me.id) }, "Assign to me"));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); assign(select.value); });
  return h("section", { "aria-labelledby": "assign-h" }, h("h2", { id: "assign-h" }, "Assignment"), form);
}

async function assign(staffID) {
  if (!actions.includes("assign")) return;
  try {
    await action(collection, id, "assign", { assignee: staffID });
    record = await getRecord(collection, id, { expand: EXPAND });
    await render();
    announce(staffID ? `Assigned to ${record.expand.assignee ? record.expand.assignee.name : "a colleague"}.` : "Unassigned.");
  } catch (err) {
    showApiError($("#assign"), err);
  }
}

function commentForm() {
  const form = h("form", { id: "comment-form", novalidate: true },
    h("fieldset", { class: "field" }, h("legend", {}, "Who may read it"),
      h("div", { class: "choice" }, h("input", { type: "radio", id: "internal-yes", name: "internal", value: "1", checked: true }),
        h("label", { for: "internal-yes" }, "Internal note (staff only)")),
      h("div", { class: "choice" }, h("input", { type: "radio", id: "internal-no", name: "internal", value: "0" }),
        h("label", { for: "internal-no" }, "Comment to the resident (they are emailed)"))),
    h("div", { class: "field" }, h("label", { for: "comment" }, "Text"), h("textarea", { id: "comment", name: "comment", maxlength: "5000" })),
    h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit" }, "Add to the history")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!form.comment.value.trim()) return showErrors(form, { comment: "Write something first." });
    try {
      await action(collection, id, "comment", { comment: form.comment.value.trim(), internal: form.internal.value === "1" });
      form.comment.value = "";
      announce("Added to the history.");
      renderHistory();
    } catch (err) {
      showApiError(form, err);
    }
  });
  return h("section", { "aria-labelledby": "comment-h" }, h("h2", { id: "comment-h" }, "Notes and comments"), form);
}

function focusComment(internal) {
  $(internal ? "#internal-yes" : "#internal-no").checked = true;
  $("#comment").focus();
}

async function renderHistory() {
  const el = $("#history");
  if (!el) return;
  try {
    const events = (await list("events", { filter: eq(kind, id), sort: "created", perPage: 500 })).items;
    el.replaceChildren(...events.map((ev) => h("li", { class: ev.public ? "" : "internal" },
      h("strong", {}, ev.action.replace(/_/g, " ")),
      ev.from_status && ev.to_status ? ` (${ev.from_status.replace(/_/g, " ")} → ${ev.to_status.replace(/_/g, " ")})` : "",
      " ", ev.public ? null : h("span", { class: "badge warn" }, "Internal"),
      " ", h("span", { class: "when" }, formatDate(ev.created, true)),
      h("div", { class: "small muted" }, ev.actor_name || ev.actor_kind, ev.data && ev.data.assignee_name ? ` → ${ev.data.assignee_name}` : "",
        ev.data && ev.data.level ? ` — level ${ev.data.level}, told ${(ev.data.notified || []).join(", ")}` : "",
        ev.data && ev.data.amount !== undefined ? ` — ${formatMoney(ev.data.amount)} ${METHODS[ev.data.method] || ev.data.method || ""}` : ""),
      ev.comment ? h("blockquote", {}, ev.comment) : null)));
  } catch {
    el.replaceChildren(h("li", {}, "The history could not be loaded."));
  }
}

load();
