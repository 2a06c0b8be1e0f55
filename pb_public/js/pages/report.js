// report.js — report a problem: category, description, where (address and an
// optional map point from the device), photos with upload progress.
import { auth, list, createRecord, getRecord, upload, request, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, pick, param, showErrors, showApiError, announce, busy, notice, formatDate } from "../ui.js";
import { fieldInput, answers } from "../permitform.js";
import { addressSearch, nearestAddress } from "../addresssearch.js";

const user = initPage({ requireSignIn: true });
const box = $("#content");
const MAX_PHOTOS = 5;
// what was typed stays on this device until the server has the report
const DRAFT = "th_report_draft";
const KEPT = ["category", "description", "address", "lat", "lon"];

/** newID is the report's id, chosen here once so that sending it again can never file it twice. */
function newID() {
  const abc = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...crypto.getRandomValues(new Uint8Array(15))].map((b) => abc[b % abc.length]).join("");
}

function readDraft() {
  try {
    const d = JSON.parse(localStorage.getItem(DRAFT) || "null");
    return d && d.user === auth().record.id ? d : null;
  } catch {
    return null;
  }
}

function keepDraft(form, id) {
  const d = { user: auth().record.id, id, private: form.description_private.checked };
  for (const k of KEPT) d[k] = form[k].value;
  localStorage.setItem(DRAFT, JSON.stringify(d));
}
let categories = [];

/** questionsOf are the extra questions a category asks with each report. */
function questionsOf(id) {
  const c = categories.find((x) => x.id === id);
  return (c && Array.isArray(c.questions) && c.questions) || [];
}

/** showQuestions draws the chosen category's extra questions under it. */
function showQuestions(id) {
  const qs = questionsOf(id);
  $("#questions").replaceChildren(...(qs.length ? [h("h2", {}, t("report.questions")), ...qs.map((f) => fieldInput(f, undefined, "answers"))] : []));
}

async function load() {
  if (!user) return;
  if (!user.verified) {
    box.replaceChildren(h("div", { class: "notice warn" }, h("p", {}, t("report.not_verified"), " ",
      h("a", { href: "/verify-email.html" }, t("verify_email.resend")))));
    return;
  }
  try {
    categories = (await list("complaint_categories", { filter: "active = true", sort: "name_en", perPage: 200 })).items;
  } catch {
    notice(box, t("errors.load"), "error");
    return;
  }
  const chosen = param("category");
  const form = h("form", { id: "report", novalidate: true },
    h("p", {}, t("report.intro")),
    h("div", { class: "field" }, h("label", { for: "category" }, t("report.category")),
      h("select", { id: "category", name: "category", required: true },
        h("option", { value: "" }, t("report.choose")),
        categories.map((c) => h("option", { value: c.id, selected: c.code === chosen }, pick(c, "name"))))),
    h("div", { id: "questions" }),
    h("div", { class: "field" }, h("label", { for: "description" }, t("report.description")),
      h("span", { class: "hint", id: "description-hint" }, t("report.description_hint")),
      h("textarea", { id: "description", name: "description", required: true, maxlength: "5000", "aria-describedby": "description-hint" })),
    h("div", { class: "choice field" }, h("input", { type: "checkbox", id: "description_private", name: "description_private" }),
      h("label", { for: "description_private" }, t("report.private"))),
    h("div", { class: "field", "data-field": "address" }, h("label", { for: "address" }, t("report.address")),
      h("span", { class: "hint", id: "address-hint" }, t("address.search_hint")),
      h("input", { type: "text", id: "address", name: "address", autocomplete: "street-address", "aria-describedby": "address-hint" })),
    h("fieldset", { class: "field", "data-field": "location" },
      h("legend", {}, t("report.location"), h("span", { class: "muted" }, ` ${t("optional")}`)),
      h("button", { type: "button", class: "button secondary", id: "locate", onclick: locate }, t("report.use_location")),
      h("p", { id: "location-status", "aria-live": "polite", class: "small" }),
      h("div", { class: "field" }, h("label", { for: "lat" }, t("report.lat")),
        h("input", { type: "text", inputmode: "decimal", id: "lat", name: "lat" })),
      h("div", { class: "field" }, h("label", { for: "lon" }, t("report.lon")),
        h("input", { type: "text", inputmode: "decimal", id: "lon", name: "lon" }))),
    h("section", { id: "nearby", "aria-labelledby": "nearby-title", hidden: true }),
    h("div", { class: "field" }, h("label", { for: "photos" }, t("report.photos"), h("span", { class: "muted" }, ` ${t("optional")}`)),
      h("span", { class: "hint", id: "photos-hint" }, t("report.photos_hint")),
      h("input", { type: "file", id: "photos", name: "photos", multiple: true, accept: "image/jpeg,image/png,image/webp", "aria-describedby": "photos-hint" })),
    h("div", { id: "progress" }),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit", id: "send" }, t("report.submit"))));
  form.addEventListener("submit", (ev) => { ev.preventDefault(); send(form); });
  form.category.addEventListener("change", () => { showQuestions(form.category.value); showNearby(form); });
  const draft = readDraft();
  if (draft) {
    for (const k of KEPT) if (draft[k]) form[k].value = draft[k];
    form.description_private.checked = !!draft.private;
  }
  form.dataset.id = (draft && draft.id) || newID();
  form.addEventListener("input", () => keepDraft(form, form.dataset.id));
  box.replaceChildren(form);
  // the address search is the first way to say where: a pick fills the point
  addressSearch(form.address, {
    onPick: (item) => { delete form.address.dataset.auto; setPoint(item.lat, item.lon); },
    onType: () => { delete form.address.dataset.auto; },
  });
  // a point set by the map, "use my location" or by hand: its nearest address and the reports near it
  let pointTimer = 0;
  for (const id of ["lat", "lon"]) {
    form[id].addEventListener("change", () => { clearTimeout(pointTimer); pointTimer = setTimeout(() => pointChanged(form), 60); });
  }
  addMapPicker(form);
  showQuestions(form.category.value);
  if (form.lat.value && form.lon.value) showNearby(form);
  if (draft && draft.description) {
    form.prepend(h("p", { class: "notice", role: "status" }, t("report.draft_restored")));
  }
  addEventListener("online", () => { if ($("#resend")) announce(t("report.back_online")); });
}

/** offline says the connection was lost, that nothing is lost, and offers to send again. */
function offline(form) {
  const old = $("#offline");
  if (old) old.remove();
  const note = h("div", { class: "notice warn", role: "alert", id: "offline" },
    h("p", {}, t("report.offline")),
    h("div", { class: "button-row" }, h("button", { type: "button", class: "button", id: "resend", onclick: () => send(form) }, t("report.send_again"))));
  form.before(note);
  $("#resend").focus();
}

function locate() {
  const status = $("#location-status");
  if (!navigator.geolocation) {
    status.textContent = t("report.no_location");
    return;
  }
  status.textContent = t("report.locating");
  navigator.geolocation.getCurrentPosition((pos) => {
    const lat = pos.coords.latitude.toFixed(6);
    const lon = pos.coords.longitude.toFixed(6);
    status.textContent = t("report.located", { lat, lon });
    setPoint(lat, lon);
  }, () => { status.textContent = t("report.no_location"); }, { enableHighAccuracy: true, timeout: 15000 });
}

/** setPoint puts a point in the form and says so to whoever listens (the map, the nearby list). */
function setPoint(lat, lon) {
  for (const [id, v] of [["lat", lat], ["lon", lon]]) {
    const el = $(`#${id}`);
    el.value = typeof v === "number" ? v.toFixed(6) : v;
    el.dispatchEvent(new Event("change", { bubbles: true }));
  }
}

/** pointOf reads the form's point, or null when it has none (or a broken one). */
function pointOf(form) {
  const lat = Number(form.lat.value.trim());
  const lon = Number(form.lon.value.trim());
  if (form.lat.value.trim() === "" || form.lon.value.trim() === "" || !Number.isFinite(lat) || !Number.isFinite(lon) ||
    Math.abs(lat) > 90 || Math.abs(lon) > 180) return null;
  return { lat, lon };
}

/** pointChanged looks up the nearest address (filling the address box when it is empty or was filled so) and the reports nearby. */
async function pointChanged(form) {
  keepDraft(form, form.dataset.id);
  const pt = pointOf(form);
  if (!pt) return showNearby(form);
  const status = $("#location-status");
  const address = form.address;
  if (address.value.trim() === "" || address.dataset.auto === "1") {
    try {
      const item = await nearestAddress(pt.lat, pt.lon);
      if (item) {
        address.value = item.label;
        address.dataset.auto = "1";
        address.dataset.addressId = item.id;
        address.dataset.addressLabel = item.label;
        status.textContent = t("address.nearest", { label: item.label });
      } else {
        if (address.dataset.auto === "1") address.value = "";
        status.textContent = t("address.no_nearest");
      }
      keepDraft(form, form.dataset.id);
    } catch {
      // the address lookup is a help: without it the point alone is enough
    }
  }
  showNearby(form);
}

let nearbyAsked = 0;

/** showNearby lists the open reports of the chosen category near the chosen point: "Is it one of these?" */
async function showNearby(form) {
  const section = $("#nearby");
  const pt = pointOf(form);
  const category = form.category.value;
  const mine = ++nearbyAsked;
  if (!pt || !category) {
    section.hidden = true;
    section.replaceChildren();
    return;
  }
  let items = [];
  try {
    const p = new URLSearchParams({ category, lat: String(pt.lat), lon: String(pt.lon) });
    items = (await request("GET", `/api/townhall/public/reports/nearby?${p}`, undefined, { auth: false })).items || [];
  } catch {
    items = [];
  }
  if (mine !== nearbyAsked) return;
  if (!items.length) {
    section.hidden = true;
    section.replaceChildren();
    return;
  }
  section.replaceChildren(
    h("h2", { id: "nearby-title" }, t("nearby.title")),
    h("p", { class: "hint" }, t("nearby.intro")),
    h("ul", { class: "nearby-list" }, items.map((it) => {
      const titleId = `nearby-${it.id}`;
      return h("li", { class: "nearby-item" },
        h("p", { id: titleId }, h("strong", {}, document.documentElement.lang === "es" && it.title === it.category && it.category_es ? it.category_es : it.title)),
        h("p", { class: "small muted" }, t("nearby.meta", {
          ref: it.reference, status: t(`status.complaint.${it.status}`), distance: String(Math.max(10, Math.round(it.distance_m / 10) * 10)), date: formatDate(it.created),
        })),
        h("button", { type: "button", class: "button secondary", "aria-describedby": titleId, onclick: (ev) => follow(ev.currentTarget, it) },
          t("nearby.follow", { ref: it.reference })));
    })));
  section.hidden = false;
  announce(t(items.length === 1 ? "nearby.found_one" : "nearby.found", { n: items.length }));
}

/** follow makes the resident a follower of a report found nearby. */
async function follow(button, item) {
  busy(button, true);
  try {
    await request("POST", `/api/townhall/reports/${encodeURIComponent(item.id)}/follow`);
  } catch (err) {
    busy(button, false);
    const msg = (err instanceof ApiError && err.message) || t("errors.load");
    button.after(h("p", { class: "field-error", role: "alert" }, msg));
    return;
  }
  const done = h("div", { class: "notice ok", role: "status", tabindex: "-1", id: "followed" },
    h("p", {}, t("nearby.followed", { ref: item.reference })),
    h("p", {}, h("a", { href: `/request.html?kind=complaint&id=${encodeURIComponent(item.id)}` }, t("nearby.see", { ref: item.reference }))));
  button.replaceWith(done);
  done.focus();
}

async function send(form) {
  const files = [...(form.photos.files || [])];
  const errors = {};
  if (!form.category.value) errors.category = t("report.category_needed");
  if (!form.description.value.trim()) errors.description = t("report.description_needed");
  if (files.length > MAX_PHOTOS) errors.photos = t("report.too_many");
  if (Object.keys(errors).length) return showErrors(form, errors);

  keepDraft(form, form.dataset.id);
  const body = {
    id: form.dataset.id,
    category: form.category.value,
    reporter: auth().record.id,
    description: form.description.value.trim(),
    description_private: form.description_private.checked,
    address: form.address.value.trim(),
  };
  const qs = questionsOf(form.category.value);
  if (qs.length) body.answers = answers(form, qs, "answers");
  const lat = form.lat.value.trim();
  const lon = form.lon.value.trim();
  if (lat !== "" || lon !== "") body.location = { lat: Number(lat), lon: Number(lon) };

  const button = $("#send");
  busy(button, true);
  announce(t("report.sending"));
  let report;
  try {
    report = await createRecord("complaints", body);
  } catch (err) {
    // sent before, and the answer was lost on the way back: it is filed
    if (err instanceof ApiError && err.fields && err.fields.id) report = await getRecord("complaints", body.id).catch(() => null);
    if (!report) {
      busy(button, false);
      if (err instanceof ApiError && err.status === 0) return offline(form);
      return showApiError(form, err);
    }
  }
  localStorage.removeItem(DRAFT);
  const lost = $("#offline");
  if (lost) lost.remove();
  // photos go up one by one, each with its own progress bar
  const progress = $("#progress");
  for (const file of files) {
    const bar = h("progress", { max: "100", value: "0", "aria-label": t("apply.uploading", { name: file.name }) });
    const line = h("p", { class: "small" }, t("apply.uploading", { name: file.name }));
    progress.append(line, bar);
    const fd = new FormData();
    fd.append("complaint", report.id);
    fd.append("kind", "photo");
    fd.append("file", file);
    try {
      await upload("POST", "/api/collections/documents/records", fd, (p) => { bar.value = Math.round(p * 100); });
      bar.value = 100;
      line.textContent = t("apply.uploaded", { name: file.name });
    } catch (err) {
      line.className = "field-error";
      line.textContent = t("apply.upload_failed", { name: file.name, reason: (err instanceof ApiError && (err.fields.file || err.message)) || "" });
    }
  }
  const done = h("div", { class: "notice ok", role: "status", tabindex: "-1", id: "done" },
    h("h2", {}, t("report.done_title")),
    h("p", {}, t("report.done", { ref: report.reference })),
    h("p", {}, h("a", { class: "button", href: `/request.html?kind=complaint&id=${report.id}` }, t("report.follow"))));
  const failed = [...progress.querySelectorAll(".field-error")];
  box.replaceChildren(done, ...failed);
  done.focus();
  announce(t("report.done", { ref: report.reference }));
}

load();

/**
 * addMapPicker offers "Choose on a map" beside "use my location". The map
 * (js/map.js, imported only when the button is pressed) writes #lat and
 * #lon and tells the form with a "change" event on each; a change of #lat
 * or #lon from elsewhere moves its pin. Closing it gives the focus back.
 */
function addMapPicker(form) {
  const toggle = h("button", { type: "button", class: "button secondary", id: "choose-on-map", "aria-expanded": "false", "aria-controls": "map-picker" }, t("map.choose"));
  const box = h("div", { id: "map-picker", hidden: true });
  form.querySelector("#locate").after(" ", toggle);
  form.querySelector("#location-status").after(box);
  let picker = null, onPick = null;
  const close = () => {
    box.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.textContent = t("map.choose");
    if (picker) picker.destroy();
    picker = null;
  };
  // a point picked on the map is kept with the rest of the draft
  form.addEventListener("change", (ev) => { if (ev.target === form.lat || ev.target === form.lon) keepDraft(form, form.dataset.id); });
  toggle.addEventListener("click", async () => {
    if (!box.hidden) {
      close();
      toggle.focus();
      return;
    }
    box.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    toggle.textContent = t("map.close");
    box.replaceChildren(h("p", { class: "small" }, t("map.loading")));
    try {
      const m = await import("../map.js");
      onPick ??= m.bindCoordinates(form.lat, form.lon, () => picker);
      const p = await m.openPicker(box, { lat: form.lat.value.trim(), lon: form.lon.value.trim(), onPick });
      if (box.hidden) return p.destroy(); // closed while it opened
      picker = p;
      picker.focus();
    } catch {
      box.replaceChildren(h("p", { class: "notice warn", role: "status" }, t("map.no_map")));
    }
  });
}
