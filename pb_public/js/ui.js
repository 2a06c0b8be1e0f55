// ui.js — shared page furniture: header and footer, translations, form
// errors next to their fields, announcements for screen readers, formatting.

import { auth, signOut, updateRecord, updateStoredRecord, list, request, ApiError } from "./api.js";
import { t, lang, setLang, translate } from "./i18n.js";

/** $ returns the first element matching selector. */
export const $ = (sel, root = document) => root.querySelector(sel);
/** $$ returns every element matching selector. */
export const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

/**
 * h builds an element: h("a", {href: "/"}, "Home"). Attributes starting with
 * "on" become listeners; text children are escaped by construction.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (k === "class") el.className = v;
    else if (k === "text") el.textContent = v;
    else el.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

const NAV = [
  ["/", "nav.services"],
  ["/report.html", "nav.report"],
  ["/my.html", "nav.my"],
  ["/verify.html", "nav.verify"],
  ["/problems.html", "nav.problems"],
  ["/help.html", "nav.help"],
];

/** initPage translates the page, draws the header and footer and returns the signed-in resident (or null). */
export function initPage({ requireSignIn = false } = {}) {
  const a = auth();
  const user = a && a.collection === "users" ? a.record : null;
  // signed in, the account's language wins over what this browser last showed
  if (user && user.language) setLang(user.language, true);
  document.documentElement.lang = lang();
  drawHeader(user);
  drawFooter();
  showNotices("site");
  showTownName();
  ensureLiveRegion();
  translate(document);
  if (requireSignIn && !user) {
    location.replace("/signin.html?next=" + encodeURIComponent(location.pathname + location.search));
    return null;
  }
  return user;
}

/** refreshHeader draws the header again (after signing in or out on the page). */
export function refreshHeader() {
  const a = auth();
  drawHeader(a && a.collection === "users" ? a.record : null);
  translate($("#site-header") || document.createElement("div"));
}

function drawHeader(user) {
  const header = $("#site-header");
  if (!header) return;
  const here = location.pathname;
  const link = (href, key, attrs = {}) =>
    h("li", {}, h("a", { href, "data-i18n": key, "aria-current": here === href ? "page" : null, ...attrs }, t(key)));
  const items = NAV.map(([href, key]) => link(href, key));
  const account = user
    ? [link("/profile.html", "nav.profile"),
      link("/", "nav.signout", { "aria-current": null, onclick: (ev) => { ev.preventDefault(); signOut(); location.href = "/"; } })]
    : [link("/signin.html", "nav.signin")];
  const other = lang() === "es" ? "en" : "es";
  header.className = "site-header";
  // one row on phones (name, language, a Menu button that opens the links);
  // two on wide screens (name, account links, language; then the main links)
  const toggle = h("button", {
    type: "button", class: "menu-toggle", "aria-expanded": "false", "aria-controls": "site-menu", "data-i18n": "nav.menu",
    onclick: () => setMenu(header, toggle.getAttribute("aria-expanded") !== "true"),
  }, t("nav.menu"));
  header.replaceChildren(h("div", { class: "inner has-menu" },
    h("a", { class: "brand", href: "/" }, t("site.name")),
    h("button", {
      type: "button", class: "lang-switch", lang: other, "data-testid": "lang-switch",
      onclick: () => switchLanguage(other),
    }, other === "es" ? "Español" : "English"),
    toggle,
    h("div", { class: "site-menu", id: "site-menu" },
      h("nav", { class: "site-nav", "aria-label": t("nav.label") }, h("ul", {}, items)),
      h("nav", { class: "account-nav", "aria-label": t("nav.account") }, h("ul", {}, account)))));
  header.addEventListener("keydown", (ev) => {
    if (ev.key === "Escape" && header.classList.contains("open")) {
      setMenu(header, false);
      toggle.focus();
    }
  });
}

/** setMenu opens or closes the header's menu (phones; wide screens always show it). */
function setMenu(header, open) {
  header.classList.toggle("open", open);
  const toggle = $(".menu-toggle", header);
  if (toggle) toggle.setAttribute("aria-expanded", String(open));
}

/** showTownName puts the county's name in the header (kept for the visit). */
async function showTownName() {
  let name = sessionStorage.getItem("th_town");
  if (!name) {
    try {
      const res = await list("town_settings", { perPage: 1, fields: "town_name,timezone" });
      name = (res.items[0] && res.items[0].town_name) || "";
      sessionStorage.setItem("th_town", name);
      // kept across visits, so dates read in the town's time zone from the first drawing on
      const tz = res.items[0] && res.items[0].timezone;
      if (tz && tz !== localStorage.getItem("th_tz")) {
        try {
          new Intl.DateTimeFormat("en-US", { timeZone: tz });
          localStorage.setItem("th_tz", tz);
        } catch { /* not a zone this browser knows */ }
      }
    } catch {
      return;
    }
  }
  const brand = $(".brand");
  if (brand && name) brand.textContent = name;
}

async function switchLanguage(l) {
  setLang(l, true);
  const a = auth();
  if (a && a.collection === "users") {
    try {
      const rec = await updateRecord("users", a.record.id, { language: l });
      updateStoredRecord(rec);
    } catch {
      // the choice is still kept for this sign-in on this device
      updateStoredRecord({ ...a.record, language: l });
    }
  }
  location.reload();
}

const DISMISSED = "th_dismissed";

/**
 * showNotices puts the notices in force (and maintenance mode) as banners
 * under the header: "site" for the resident site, "staff" for the console.
 * An outage is announced to screen readers; an information notice can be
 * dismissed, and stays dismissed in this browser until it is changed.
 */
export async function showNotices(on) {
  let data;
  try {
    data = await request("GET", `/api/townhall/public/notices?on=${on}`, undefined, { auth: false });
  } catch {
    return; // the page works without its banners
  }
  const es = lang() === "es";
  const dismissed = JSON.parse(localStorage.getItem(DISMISSED) || "[]");
  const items = [];
  if (data.maintenance && data.maintenance.on) {
    items.push({ key: "maintenance", severity: "outage", title: t("notices.maintenance"), body: es ? data.maintenance.message_es : data.maintenance.message });
  }
  for (const n of data.notices || []) {
    const key = `${n.id}@${n.updated}`;
    if (n.severity === "info" && dismissed.includes(key)) continue;
    items.push({ key, id: n.id, severity: n.severity, title: (es && n.title_es) || n.title_en, body: (es && n.title_es ? n.body_es : n.body_en) || "" });
  }
  if (!items.length) return;
  const old = $("#notices");
  if (old) old.remove();
  const region = h("div", { class: "notices", id: "notices" }, items.map((n) => {
    const banner = h("div", { class: `banner ${n.severity}`, role: n.severity === "outage" ? "alert" : null, "data-notice": n.id || n.key },
      h("div", { class: "inner" },
        h("p", {}, h("strong", {}, n.title), n.body ? ` ${n.body}` : "", " ",
          on === "site" ? h("a", { href: `/status.html${n.id ? `#notice-${n.id}` : ""}` }, t("notices.more")) : null),
        n.severity === "info" ? h("button", {
          type: "button", class: "banner-close", "aria-label": t("notices.dismiss", { title: n.title }),
          onclick: () => {
            localStorage.setItem(DISMISSED, JSON.stringify([...dismissed, n.key].slice(-50)));
            banner.remove();
          },
        }, "×") : null));
    return banner;
  }));
  const header = $("#site-header");
  if (header) header.after(region);
  else document.body.prepend(region);
}

function drawFooter() {
  const footer = $("#site-footer");
  if (!footer) return;
  footer.className = "site-footer";
  footer.replaceChildren(h("div", { class: "inner" },
    h("p", {}, t("footer.text"), " ", h("a", { href: "/help.html" }, t("footer.contact")), " · ",
      h("a", { href: "/privacy.html" }, t("footer.privacy")), " · ",
      h("a", { href: "/status.html" }, t("footer.status")), " · ",
      h("a", { href: "/stats.html" }, t("footer.stats")))));
}

function ensureLiveRegion() {
  if ($("#live")) return;
  document.body.append(h("div", { id: "live", class: "visually-hidden", "aria-live": "polite", role: "status" }));
}

/** announce tells screen-reader users about a change (status updates, saves). */
export function announce(message) {
  const live = $("#live");
  if (!live) return;
  live.textContent = "";
  setTimeout(() => { live.textContent = message; }, 50);
}

/** clearErrors removes the messages of an earlier attempt. */
export function clearErrors(form) {
  $$(".field-error", form).forEach((el) => el.remove());
  $$("[aria-invalid], [aria-describedby]", form).forEach((el) => {
    el.removeAttribute("aria-invalid");
    const ids = (el.getAttribute("aria-describedby") || "").split(" ").filter((id) => !id.endsWith("-error"));
    if (ids.length) el.setAttribute("aria-describedby", ids.join(" "));
    else el.removeAttribute("aria-describedby");
  });
  const summary = $(".error-summary", form.parentElement || document);
  if (summary) summary.remove();
}

/**
 * showErrors puts each message next to its field and a summary with links to
 * them at the top of the form, then moves focus to the summary.
 * errors: {fieldName: message}; general: a message for the whole form.
 */
export function showErrors(form, errors, general) {
  clearErrors(form);
  const links = [];
  for (const [name, message] of Object.entries(errors)) {
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`) || form.querySelector(`[data-field="${CSS.escape(name)}"]`);
    if (!input) {
      links.push(h("li", {}, message));
      continue;
    }
    const id = `${name.replace(/\W/g, "-")}-error`;
    const msg = h("span", { class: "field-error", id }, message);
    const isControl = input.matches("input, select, textarea");
    const container = isControl ? input.closest(".field, fieldset") || input.parentElement : input;
    const label = container.matches(".field, fieldset") ? container.querySelector(":scope > label, :scope > legend, :scope > .label") : null;
    if (label) label.after(msg);
    else container.before(msg);
    let target = isControl ? input : input.querySelector("input, select, textarea");
    if (!target) {
      target = input;
      target.setAttribute("tabindex", "-1");
    } else {
      target.setAttribute("aria-invalid", "true");
    }
    target.setAttribute("aria-describedby", [target.getAttribute("aria-describedby"), id].filter(Boolean).join(" "));
    if (!target.id) target.id = `${name.replace(/\W/g, "-")}-field`;
    links.push(h("li", {}, h("a", { href: `#${target.id}` }, message)));
  }
  const summary = h("div", { class: "error-summary", role: "alert", tabindex: "-1" },
    h("h2", {}, t("errors.title")),
    general ? h("p", {}, general) : null,
    links.length ? h("ul", {}, links) : null);
  form.before(summary);
  summary.focus();
}

/** showApiError shows a refusal from the server on a form, in plain language. */
export function showApiError(form, err) {
  if (!(err instanceof ApiError)) throw err;
  const fields = {};
  for (const [k, v] of Object.entries(err.fields)) fields[k] = v;
  let general = err.message;
  if (err.status === 0) general = t("errors.network");
  else if (err.status === 429) general = t("errors.busy");
  else if (!general || general === "Failed to create record." || general === "Failed to update record.") {
    general = Object.keys(fields).length ? "" : t("errors.generic");
  }
  if (Object.keys(fields).length === 1 && Object.values(fields)[0] === general) general = "";
  showErrors(form, fields, general);
}

/** notice puts a message box in place of el's content. */
export function notice(el, message, kind = "") {
  el.replaceChildren(h("div", { class: `notice ${kind}`, role: kind === "error" ? "alert" : "status" }, h("p", {}, message)));
}

const locales = { en: "en-US", es: "es-US" };

/** formatDate shows a date (and time) for the reader's language. */
export function formatDate(value, withTime = false) {
  if (!value) return "";
  const d = new Date(String(value).replace(" ", "T"));
  if (isNaN(d)) return "";
  const opts = withTime ? { dateStyle: "medium", timeStyle: "short" } : { dateStyle: "long" };
  // deadlines and validity are the town's days and hours, wherever the reader is
  const tz = localStorage.getItem("th_tz");
  if (tz) opts.timeZone = tz;
  return new Intl.DateTimeFormat(locales[lang()], opts).format(d);
}

/** formatMoney shows dollars: $150.00. */
export function formatMoney(v) {
  return new Intl.NumberFormat(locales[lang()], { style: "currency", currency: "USD" }).format(Number(v || 0));
}

/** pick returns the Spanish or English text of a record field pair (name_en/name_es). */
export function pick(rec, base) {
  if (!rec) return "";
  const es = rec[`${base}_es`];
  return lang() === "es" && es ? es : rec[`${base}_en`] || rec[base] || "";
}

/** txt returns the reader's language of a {en, es} text. */
export function txt(v) {
  if (!v) return "";
  if (typeof v === "string") return v;
  return (lang() === "es" && v.es) || v.en || "";
}

/** statusBadge is a coloured label for a request's status. */
export function statusBadge(kind, status) {
  const tone = {
    draft: "", submitted: "info", in_review: "info", changes_requested: "warn", approved: "ok", denied: "bad",
    issued: "ok", expired: "", withdrawn: "", new: "info", acknowledged: "info", in_progress: "info",
    resolved: "ok", closed: "", rejected: "bad", duplicate: "",
  }[status] || "";
  return h("span", { class: `badge ${tone}` }, t(`status.${kind}.${status}`));
}

/** param reads a query-string parameter. */
export const param = (name) => new URLSearchParams(location.search).get(name) || "";

/**
 * safeNext returns where to go after signing in: next as a path of this site
 * under prefix, or "" when it would leave the site. The path is judged after
 * the browser has normalised it ("/.//evil.example/" becomes "//evil.example/",
 * which a browser reads as another host), so only a same-origin path that
 * starts with exactly one "/" passes.
 */
export function safeNext(next, prefix = "/") {
  if (!next || !next.startsWith("/") || next.startsWith("//") || next.startsWith("/\\")) return "";
  try {
    const u = new URL(next, location.origin);
    if (u.origin !== location.origin || !u.pathname.startsWith(prefix) || u.pathname.startsWith("//") || u.pathname.includes("\\")) return "";
    return u.pathname + u.search + u.hash;
  } catch {
    return "";
  }
}

/** setTitle sets the document title and the h1. */
export function setTitle(text) {
  document.title = `${text} — ${t("site.name")}`;
  const h1 = $("h1");
  if (h1) h1.textContent = text;
}

/** busy marks a button as working (and back). */
export function busy(button, on) {
  if (!button) return;
  button.disabled = on;
  button.setAttribute("aria-busy", on ? "true" : "false");
}

/**
 * confirmationNotice waits a few seconds for the resident's confirmation
 * email to leave; when it has not, it returns a notice that says so and how to
 * confirm at the office instead (null once the email is sent).
 */
export async function confirmationNotice(getStatus) {
  let s = null;
  for (let i = 0; i < 8; i++) {
    s = await getStatus().catch(() => null);
    if (!s || s.verified || s.confirmation === "sent") return null;
    await new Promise((r) => setTimeout(r, 500));
  }
  const o = s.office || {};
  const where = [o.office_phone, o.office_address, o.office_hours].filter(Boolean).join(" · ");
  return h("div", { class: "notice warn", role: "status", id: "not-sent" },
    h("p", {}, t("verify_email.not_sent")),
    where ? h("p", {}, t("verify_email.office", { office: where })) : h("p", {}, t("verify_email.office_unknown")));
}
