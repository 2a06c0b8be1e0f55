// apply.js — a permit application: the form generated from the permit
// type's field definitions, draft saving, the document checklist with
// per-file upload progress, and submission.
import { auth, list, getRecord, createRecord, updateRecord, deleteRecord, upload, action, availableActions, eq, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, pick, txt, param, formatMoney, formatDate, showApiError, clearErrors, announce, busy, notice } from "../ui.js";
import { fieldInput, answers, attachAddressSearch, addressPicks } from "../permitform.js";
import { newID, kept, lostConnection, offline, sent, restored } from "../keep.js";

const user = initPage({ requireSignIn: true });
const box = $("#content");
let permit = null; // the saved draft, once there is one
let type = null;
let docs = []; // uploaded documents
// what was typed stays on this device until the server has saved it (per application, or per type before the first save)
let store = null;
let newPermitID = ""; // a new application's id, chosen once so that saving again never makes two

async function load() {
  if (!user) return;
  if (!user.verified) {
    box.replaceChildren(h("div", { class: "notice warn" }, h("p", {}, t("apply.not_verified"), " ",
      h("a", { href: "/verify-email.html" }, t("verify_email.resend")))));
    return;
  }
  try {
    if (param("id")) {
      permit = await getRecord("permits", param("id"), { expand: "permit_type" });
      type = permit.expand.permit_type;
      docs = (await list("documents", { filter: eq("permit", permit.id), perPage: 200, sort: "created" })).items;
    } else {
      type = (await list("permit_types", { filter: eq("code", param("type")), perPage: 1 })).items[0];
    }
  } catch {
    notice(box, t("request.not_found"), "error");
    return;
  }
  if (!type) {
    box.replaceChildren(h("p", { class: "notice warn" }, t("apply.type_missing"), " ", h("a", { href: "/" }, t("nav.services"))));
    return;
  }
  $("h1").textContent = pick(type, "name");
  document.title = `${pick(type, "name")} — ${t("site.name")}`;
  // the server says whether the application may still be changed
  const editable = !permit || (await availableActions("permits", permit.id)
    .then((r) => r.actions.some((a) => a.action === "edit")).catch(() => false));
  if (!editable) {
    box.replaceChildren(h("div", { class: "notice" }, h("p", {},
      t("apply.readonly", { status: t(`status.permit.${permit.status}`).toLowerCase() }), " ",
      h("a", { href: `/request.html?kind=permit&id=${permit.id}` }, t("my.open")))));
    return;
  }
  await render();
}

/** changeRequest is what staff asked to change, repeated above the form. */
async function changeRequest() {
  const asked = await list("events", { filter: `${eq("permit", permit.id)} && action = 'request_changes'`, sort: "-created", perPage: 1 })
    .then((r) => r.items[0]).catch(() => null);
  return h("div", { class: "notice warn", id: "change-request", role: "note" },
    h("p", {}, h("strong", {}, t("apply.changes"))),
    asked && asked.comment ? [h("p", {}, t("apply.changes_asked", { name: asked.actor_name || t("apply.the_office"), date: formatDate(asked.created) })),
      h("blockquote", {}, asked.comment)] : null);
}

async function render() {
  store = kept(`th_apply:${permit ? permit.id : `new:${type.code}`}`, auth().record.id);
  const draft = store.read();
  newPermitID = (draft && draft.id) || newID();
  const data = { ...((permit && permit.data) || {}), ...((draft && draft.data) || {}) };
  const form = h("form", { id: "application", novalidate: true });
  if (draft) form.append(restored());
  if (permit && permit.status === "changes_requested") form.append(await changeRequest());
  if (type.fee > 0) form.append(h("p", { class: "muted" }, t("apply.fee_note", { fee: formatMoney(type.fee) })));
  form.append(
    h("div", { class: "field" }, h("label", { for: "site_address" }, t("apply.site")),
      h("span", { class: "hint", id: "site-hint" }, t("apply.site_hint")),
      h("input", { type: "text", id: "site_address", name: "site_address", autocomplete: "street-address", "aria-describedby": "site-hint", value: (draft && draft.site_address) ?? ((permit && permit.site_address) || "") })),
    h("h2", {}, t("apply.answers")),
    ...(type.fields || []).map((f) => fieldInput(f, data[f.key])),
    h("h2", {}, t("apply.documents")),
    h("p", {}, t("apply.documents_intro")),
    h("ul", { class: "checklist", id: "checklist", "data-field": "documents" }, (type.required_documents || []).map(docItem)),
    h("div", { class: "button-row" },
      h("button", { class: "button secondary", type: "button", id: "save", onclick: () => save(form, true) }, t("apply.save")),
      h("button", { class: "button", type: "submit", id: "submit" }, t("apply.submit"))),
    h("div", { id: "form-status", "aria-live": "polite" }));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); submit(form); });
  form.addEventListener("input", () => keepTyped(form));
  form.addEventListener("change", () => keepTyped(form));
  box.replaceChildren(form);
  attachAddressSearch(form, (permit && permit.address_picks) || {});
}

/** keepTyped keeps the answers on this device until the server has saved them. */
function keepTyped(form) {
  if (!store) return;
  store.save({ id: newPermitID, site_address: form.site_address.value, data: answers(form, type.fields) });
}

const ACCEPT = { pdf: "application/pdf,.pdf", image: "image/jpeg,image/png,image/webp,.jpg,.jpeg,.png,.webp" };

/** docItem is one line of the document checklist. */
function docItem(d) {
  const id = `doc-${d.key}`;
  const accept = (d.accept && d.accept.length ? d.accept : ["pdf", "image"]).map((a) => ACCEPT[a]).join(",");
  const mine = docs.filter((x) => x.kind === d.key);
  const li = h("li", { id: `${id}-item` },
    h("h3", {}, txt(d.label)),
    d.help ? h("p", { class: "hint", id: `${id}-hint` }, txt(d.help)) : null,
    h("p", { class: "small", id: `${id}-state` }, mine.length ? `${t("apply.have")}:` : t("apply.missing")),
    h("ul", { class: "uploaded", id: `${id}-files` }, mine.map(uploadedItem)),
    h("div", { class: "field" },
      h("label", { for: id }, t("apply.upload", { doc: txt(d.label) })),
      h("input", { type: "file", id, name: id, accept, "aria-describedby": d.help ? `${id}-hint` : null,
        onchange: (ev) => uploadFiles(d, ev.target) })),
    h("div", { id: `${id}-progress` }));
  return li;
}

function uploadedItem(doc) {
  return h("li", { "data-doc": doc.id }, doc.original_name || doc.file, " ",
    permit && permit.status === "draft"
      ? h("button", { type: "button", class: "button secondary", onclick: () => removeDoc(doc) }, t("apply.remove", { name: doc.original_name || doc.file }))
      : null);
}

/**
 * failedAt says at the file why it was not uploaded, and empties the file box
 * so that it never shows a name the checklist says is not uploaded.
 */
function failedAt(d, input, name, reason) {
  const id = `doc-${d.key}`;
  const status = h("p", { class: "field-error", id: `${id}-error`, role: "alert" }, t("apply.upload_failed", { name, reason }));
  $(`#${id}-progress`).replaceChildren(status);
  input.value = "";
  input.setAttribute("aria-invalid", "true");
  input.setAttribute("aria-describedby", [d.help ? `${id}-hint` : "", `${id}-error`].filter(Boolean).join(" "));
}

/** reasonOf is a refusal's reason in the resident's words (the server answers in their language). */
function reasonOf(err) {
  if (err instanceof ApiError && err.status === 0) return t("errors.network");
  if (err instanceof ApiError && err.status === 429) return t("errors.busy");
  return (err instanceof ApiError && (err.fields.file || err.message)) || t("errors.generic");
}

async function uploadFiles(d, input) {
  const form = $("#application");
  const file = input.files && input.files[0];
  if (!file) return;
  const id = `doc-${d.key}`;
  input.removeAttribute("aria-invalid");
  input.setAttribute("aria-describedby", d.help ? `${id}-hint` : "");
  // a file belongs to a saved draft: save it first, and say so at the file if that fails
  if (!permit && !(await save(form, false))) {
    failedAt(d, input, file.name, t("apply.upload_needs_draft"));
    return;
  }
  const bar = h("progress", { max: "100", value: "0", "aria-label": t("apply.uploading", { name: file.name }) });
  const status = h("p", { class: "small" }, t("apply.uploading", { name: file.name }));
  $(`#${id}-progress`).replaceChildren(status, bar);
  const fd = new FormData();
  fd.append("permit", permit.id);
  fd.append("kind", d.key);
  fd.append("file", file);
  try {
    const doc = await upload("POST", "/api/collections/documents/records", fd, (p) => { bar.value = Math.round(p * 100); });
    bar.value = 100;
    docs.push(doc);
    $(`#${id}-files`).append(uploadedItem(doc));
    $(`#${id}-state`).textContent = `${t("apply.have")}:`;
    status.textContent = t("apply.uploaded", { name: file.name });
    status.setAttribute("role", "status");
    announce(t("apply.uploaded", { name: file.name }));
    input.value = "";
  } catch (err) {
    failedAt(d, input, file.name, reasonOf(err));
  }
}

async function removeDoc(doc) {
  try {
    await deleteRecord("documents", doc.id);
    docs = docs.filter((x) => x.id !== doc.id);
    const li = $(`[data-doc="${doc.id}"]`);
    if (li) li.remove();
    announce(t("apply.removed", { name: doc.original_name || doc.file }));
  } catch (err) {
    showApiError($("#application"), err);
  }
}

/**
 * save creates or updates the draft; it returns whether it worked. When the
 * connection is lost, what was typed stays on this device and "Send again"
 * calls resend (by default, saving again).
 */
async function save(form, tell, resend = () => save(form, true)) {
  clearErrors(form);
  const body = { site_address: form.site_address.value.trim(), data: answers(form, type.fields), address_picks: addressPicks(form) };
  const button = $("#save");
  busy(button, true);
  keepTyped(form);
  try {
    if (permit) {
      permit = await updateRecord("permits", permit.id, body);
    } else {
      const created = await createRecord("permits", { ...body, id: newPermitID, permit_type: type.id, owner: auth().record.id }).catch(async (err) => {
        // saved before, and the answer was lost on the way back: it is there
        const earlier = lostConnection(err) ? null : await getRecord("permits", newPermitID).catch(() => null);
        if (earlier) return updateRecord("permits", earlier.id, body);
        throw err;
      });
      permit = created;
      history.replaceState(null, "", `/apply.html?id=${permit.id}`);
    }
    store.drop();
    store = kept(`th_apply:${permit.id}`, auth().record.id);
    sent("apply");
    if (tell) {
      $("#form-status").replaceChildren(h("p", { class: "notice ok" }, t("apply.saved")));
      announce(t("apply.saved"));
      await showWhatIsLeft();
    }
    return true;
  } catch (err) {
    if (lostConnection(err)) offline(form, "apply", resend);
    else showApiError(form, err);
    return false;
  } finally {
    busy(button, false);
  }
}

/** showWhatIsLeft lists, after a save, what submission would still refuse (a warning, not an error). */
async function showWhatIsLeft() {
  const left = await availableActions("permits", permit.id).then((r) => r.before_submit).catch(() => null);
  if (!left) return;
  const items = [
    ...Object.values(left.answers || {}).map((msg) => h("li", {}, msg)),
    ...(left.documents || []).map((name) => h("li", {}, t("apply.todo_document", { name }))),
  ];
  if (!items.length) return;
  $("#form-status").append(h("div", { class: "notice warn", id: "before-submit" },
    h("p", {}, t("apply.saved_todo")), h("ul", {}, items)));
}

async function submit(form) {
  const button = $("#submit");
  if (permit) {
    // sent again after an answer was lost: it may be submitted already
    const fresh = await getRecord("permits", permit.id).catch(() => null);
    if (fresh && fresh.status === "submitted") {
      store.drop();
      location.href = `/request.html?kind=permit&id=${permit.id}&submitted=1`;
      return;
    }
  }
  if (!(await save(form, false, () => submit(form)))) return;
  busy(button, true);
  try {
    await action("permits", permit.id, "submit").catch(async (err) => {
      // submitted before, and the answer was lost on the way back
      const fresh = lostConnection(err) ? null : await getRecord("permits", permit.id).catch(() => null);
      if (fresh && fresh.status === "submitted") return fresh;
      throw err;
    });
    location.href = `/request.html?kind=permit&id=${permit.id}&submitted=1`;
  } catch (err) {
    if (lostConnection(err)) offline(form, "apply", () => submit(form));
    else showApiError(form, err);
  } finally {
    busy(button, false);
  }
}

load();
