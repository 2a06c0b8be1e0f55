// request.js — one request as its resident sees it: status, what happens
// next, details, documents, the public history (live), comments, the
// resident's actions (withdraw, reopen) and the rating when it is done.
import { auth, getRecord, list, createRecord, action, availableActions, subscribe, fileURL, eq } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, pick, txt, param, formatDate, formatMoney, statusBadge, showErrors, showApiError, announce, busy, notice, setTitle } from "../ui.js";
import { newID, kept, lostConnection, offline, sent, restored } from "../keep.js";

const user = initPage({ requireSignIn: true });
const kind = param("kind") === "complaint" ? "complaint" : "permit";
const collection = kind === "permit" ? "permits" : "complaints";
const id = param("id");
const box = $("#content");
const EXPAND = kind === "permit" ? "permit_type,department" : "category,department,duplicate_of";
let record = null;

/** reload reads the request again, with what the page shows of its relations. */
async function reload() {
  record = await getRecord(collection, id, { expand: EXPAND });
}

async function load() {
  if (!user) return;
  try {
    await reload();
  } catch {
    box.replaceChildren(h("h1", {}, t("request.title")), h("div", { class: "notice error", role: "alert" }, h("p", {}, t("request.not_found"))));
    return;
  }
  await render();
  if (param("submitted")) announce(t("apply.submitted"));
  // live: the record's status and new history entries
  subscribe([`${collection}/${id}`, "events/*"], async (ev) => {
    if (ev.record.collectionName === collection && ev.record.id === id) {
      await refresh();
    } else if (ev.record.collectionName === "events" && ev.record[kind] === id) {
      await renderHistory();
    }
  }, () => refresh().catch(() => {})); // catch up on what changed before we were listening
}

/** refresh reads the request again and redraws it if it changed. */
async function refresh() {
  const fresh = await getRecord(collection, id, { expand: EXPAND });
  if (fresh.updated === record.updated) return; // already shown
  const before = record.status;
  record = fresh;
  await render();
  if (before !== record.status) announce(t("request.status_changed", { status: t(`status.${kind}.${record.status}`) }));
}

function title() {
  if (kind === "permit") return `${pick(record.expand.permit_type, "name")}${record.site_address ? ` — ${record.site_address}` : ""}`;
  return `${record.reference} — ${pick(record.expand.category, "name")}`;
}

async function render() {
  const actions = await availableActions(collection, id).then((r) => r.actions.map((a) => a.action)).catch(() => []);
  const facts = h("dl", { class: "facts" });
  const add = (label, value) => { if (value) facts.append(h("dt", {}, label), h("dd", {}, value)); };
  if (kind === "permit") {
    add(t("request.type"), pick(record.expand.permit_type, "name"));
    add(t("request.reference"), record.reference);
    add(t("request.number"), record.number);
    add(t("request.address"), record.site_address);
    add(t("request.submitted"), formatDate(record.submitted_at));
    if (["submitted", "in_review"].includes(record.status)) add(t("request.due"), formatDate(record.review_due_at));
    add(t("request.issued"), formatDate(record.issued_at));
    add(t("request.expires"), formatDate(record.expires_at));
    if (record.fee > 0) add(t("request.fee"), `${formatMoney(record.fee)} — ${record.paid_at ? t("request.paid", { amount: formatMoney(record.paid_amount), date: formatDate(record.paid_at) }) : t("request.unpaid")}`);
  } else {
    add(t("request.reference"), record.reference);
    add(t("request.category"), pick(record.expand.category, "name"));
    add(t("request.address"), record.address);
    add(t("request.filed"), formatDate(record.created, true));
    if (["new", "acknowledged", "in_progress"].includes(record.status)) add(t("request.resolve_by"), formatDate(record.resolve_due_at, true));
    add(t("request.description"), record.description);
    add(t("request.resolution"), record.resolution_note);
  }

  const parts = [
    h("h1", {}, title()),
    h("p", {}, statusBadge(kind, record.status)),
    h("section", { "aria-labelledby": "next-h", class: "notice" },
      h("h2", { id: "next-h" }, t("request.next")),
      h("p", {}, t(`next.${kind}.${record.status}`)),
      record.duplicate_of && record.expand.duplicate_of ? h("p", {}, t("request.primary", { ref: record.expand.duplicate_of.reference })) : null,
      residentButtons(actions)),
    h("p", { class: "muted small" }, t("request.live")),
    h("section", { "aria-labelledby": "details-h" }, h("h2", { id: "details-h" }, t("request.details")), facts),
  ];
  if (kind === "permit") parts.push(answersSection());
  parts.push(h("section", { "aria-labelledby": "docs-h" }, h("h2", { id: "docs-h" }, t("request.documents")), h("div", { id: "documents" }, t("loading"))));
  parts.push(h("section", { "aria-labelledby": "history-h" }, h("h2", { id: "history-h" }, t("request.history")), h("ol", { class: "timeline", id: "history" })));
  if (actions.includes("comment")) parts.push(commentForm());
  const rating = await ratingSection(actions);
  if (rating) parts.push(rating);
  box.replaceChildren(...parts);
  setTitle(title());
  renderDocuments();
  renderHistory();
}

function residentButtons(actions) {
  const row = h("div", { class: "button-row" });
  if (actions.includes("edit")) {
    row.append(h("a", { class: "button", href: `/apply.html?id=${id}` }, t("request.update")));
  }
  if (kind === "permit" && record.status === "issued") {
    row.append(h("a", { class: "button", href: `/certificate.html?id=${id}` }, t("request.certificate")));
  }
  if (actions.includes("withdraw")) {
    row.append(h("button", { type: "button", class: "button secondary", onclick: withdraw }, t("request.withdraw")));
  }
  if (actions.includes("reopen")) {
    row.append(h("button", { type: "button", class: "button secondary", onclick: reopen }, t("request.reopen")));
  }
  return row.childNodes.length ? row : null;
}

async function withdraw(ev) {
  if (!confirm(t("request.withdraw_confirm"))) return;
  busy(ev.target, true);
  try {
    await action(collection, id, "withdraw");
    await reload(); // the action's answer has no expanded relations
    await render();
    announce(t("request.withdrawn"));
  } catch (err) {
    notice(box, err.message || t("errors.generic"), "error");
  }
}

async function reopen() {
  const form = h("form", { novalidate: true },
    h("div", { class: "field" }, h("label", { for: "reopen-comment" }, t("request.reopen_reason")),
      h("textarea", { id: "reopen-comment", name: "comment" })),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, t("request.reopen"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      await action(collection, id, "reopen", { comment: form.comment.value });
      await reload(); // the action's answer has no expanded relations
      await render();
      announce(t("request.reopened"));
    } catch (err) {
      showApiError(form, err);
    }
  });
  $("#next-h").parentElement.append(form);
  form.comment.focus();
}

function answersSection() {
  const fields = (record.expand.permit_type && record.expand.permit_type.fields) || [];
  const data = record.data || {};
  const dl = h("dl", { class: "facts" });
  for (const f of fields) {
    if (data[f.key] === undefined) continue;
    let v = data[f.key];
    if (f.kind === "yes_no") v = v ? t("yes") : t("no");
    else if (f.kind === "choice") v = txt((f.options || []).find((o) => o.value === v)?.label) || v;
    else if (f.kind === "multi_choice") v = (v || []).map((x) => txt((f.options || []).find((o) => o.value === x)?.label) || x).join(", ");
    else if (f.kind === "date") v = formatDate(v);
    else if (f.kind === "number" && f.unit) v = `${v} ${txt(f.unit)}`;
    dl.append(h("dt", {}, txt(f.label)), h("dd", {}, String(v)));
  }
  return h("section", { "aria-labelledby": "answers-h" }, h("h2", { id: "answers-h" }, t("request.answers")), dl);
}

async function renderDocuments() {
  const el = $("#documents");
  try {
    const docs = (await list("documents", { filter: eq(kind, id), sort: "created", perPage: 100 })).items;
    if (!docs.length) return el.replaceChildren(h("p", {}, t("request.no_documents")));
    const items = await Promise.all(docs.map(async (d) => {
      const isImage = (d.content_type || "").startsWith("image/");
      const [href, thumb] = await Promise.all([fileURL(d), isImage ? fileURL(d, "file", "96x96") : Promise.resolve("/img/pdf.svg")]);
      return h("li", {}, h("a", { href, target: "_blank", rel: "noopener" },
        h("img", { src: thumb, alt: "", width: "96", height: "96" }), h("span", { class: "visually-hidden" }, d.original_name || d.file)),
        h("div", { class: "small" }, d.original_name || d.file));
    }));
    el.replaceChildren(h("ul", { class: "thumbs" }, items));
  } catch {
    el.replaceChildren(h("p", {}, t("errors.load")));
  }
}

async function renderHistory() {
  const el = $("#history");
  if (!el) return;
  try {
    const events = (await list("events", { filter: eq(kind, id), sort: "created", perPage: 200 })).items;
    el.replaceChildren(...events.map((ev) => h("li", {},
      h("strong", {}, t(`event.${ev.action}`) !== `event.${ev.action}` ? t(`event.${ev.action}`) : ev.action),
      " ", h("span", { class: "when" }, formatDate(ev.created, true)),
      h("div", { class: "small muted" }, ev.actor_kind === "resident" && ev.actor_user === auth().record.id ? t("request.you") : ev.actor_kind === "system" ? t("request.system") : ev.actor_name),
      ev.comment ? h("blockquote", {}, ev.comment) : null)));
  } catch {
    el.replaceChildren(h("li", {}, t("errors.load")));
  }
}

/** commentForm is the comment box; what is typed is kept on this device until the county has it. */
function commentForm() {
  const store = kept(`th_comment:${kind}:${id}`, auth().record.id);
  const draft = store.read();
  const form = h("form", { id: "comment-form", novalidate: true },
    draft && draft.comment ? restored() : null,
    h("div", { class: "field" }, h("label", { for: "comment" }, t("request.comment")),
      h("textarea", { id: "comment", name: "comment", maxlength: "5000" })),
    h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit", id: "comment-send" }, t("request.comment_send"))),
    h("div", { "aria-live": "polite", id: "comment-status" }));
  if (draft) form.comment.value = draft.comment || "";
  // the comment's id is chosen once: sent again after a lost answer, it is added once
  form.dataset.id = (draft && draft.id) || newID();
  const keep = () => store.save({ id: form.dataset.id, comment: form.comment.value });
  form.addEventListener("input", keep);
  const send = async () => {
    if (!form.comment.value.trim()) return showErrors(form, { comment: t("request.comment") });
    keep();
    const button = $("#comment-send");
    busy(button, true);
    try {
      await action(collection, id, "comment", { id: form.dataset.id, comment: form.comment.value });
      store.drop();
      sent("comment");
      form.comment.value = "";
      form.dataset.id = newID();
      $("#comment-status").replaceChildren(h("p", { class: "notice ok" }, t("request.comment_sent")));
      renderHistory();
    } catch (err) {
      if (lostConnection(err)) return offline(form, "comment", send);
      showApiError(form, err);
    } finally {
      busy(button, false);
    }
  };
  form.addEventListener("submit", (ev) => { ev.preventDefault(); send(); });
  return form;
}

/** ratingSection is the rating form when the server offers "rate", or the rating already given. */
async function ratingSection(actions) {
  const section = h("section", { "aria-labelledby": "rate-h" }, h("h2", { id: "rate-h" }, t("request.rate")));
  if (!actions.includes("rate")) {
    const existing = await list("feedback", { filter: eq(kind, id), perPage: 1 }).catch(() => ({ items: [] }));
    if (!existing.items.length) return null;
    const fb = existing.items[0];
    section.append(h("p", {}, t("request.rated"), " ", t("request.rating_n", { n: fb.rating })));
    if (fb.answer) section.append(h("p", {}, t("request.rating_answer")), h("blockquote", { id: "rating-answer" }, fb.answer));
    return section;
  }
  const store = kept(`th_rating:${kind}:${id}`, auth().record.id);
  const draft = store.read();
  const form = h("form", { id: "rating-form", novalidate: true },
    draft && (draft.rating || draft.comment) ? restored() : null,
    h("fieldset", { class: "field", "data-field": "rating" }, h("legend", {}, t("request.rating")),
      [5, 4, 3, 2, 1].map((n) => h("div", { class: "choice" },
        h("input", { type: "radio", id: `rating-${n}`, name: "rating", value: String(n), checked: !!draft && draft.rating === n }),
        h("label", { for: `rating-${n}` }, t("request.rating_n", { n }))))),
    h("div", { class: "field" }, h("label", { for: "rating-comment" }, t("request.rating_comment"), h("span", { class: "muted" }, ` ${t("optional")}`)),
      h("textarea", { id: "rating-comment", name: "comment", maxlength: "2000" })),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit", id: "rate-send" }, t("request.rate_send"))));
  if (draft) form.comment.value = draft.comment || "";
  // the rating's id is chosen once: sent again after a lost answer, it is recorded once
  form.dataset.id = (draft && draft.id) || newID();
  const picked = () => form.querySelector("input[name=rating]:checked");
  const keep = () => store.save({ id: form.dataset.id, rating: picked() ? Number(picked().value) : 0, comment: form.comment.value });
  form.addEventListener("input", keep);
  form.addEventListener("change", keep);
  const send = async () => {
    const rating = picked();
    if (!rating) return showErrors(form, { rating: t("request.rating") });
    keep();
    const button = $("#rate-send");
    busy(button, true);
    const body = { id: form.dataset.id, [kind]: id, author: auth().record.id, rating: Number(rating.value), comment: form.comment.value.trim() };
    try {
      await createRecord("feedback", body).catch(async (err) => {
        // sent before, and the answer was lost on the way back: it is recorded
        if (!lostConnection(err) && await getRecord("feedback", body.id).catch(() => null)) return;
        throw err;
      });
      store.drop();
      section.replaceChildren(h("h2", { id: "rate-h" }, t("request.rate")), h("p", { class: "notice ok", role: "status", id: "rated" }, t("request.rated")));
      announce(t("request.rated"));
    } catch (err) {
      busy(button, false);
      if (lostConnection(err)) return offline(form, "rating", send);
      showApiError(form, err);
    }
  };
  form.addEventListener("submit", (ev) => { ev.preventDefault(); send(); });
  section.append(form);
  return section;
}

load();
