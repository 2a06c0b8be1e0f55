// unsubscribe.js — the page the link at the end of an alert email opens: it
// says which alerts the link stops and stops them only when the resident
// presses the button (a GET never unsubscribes: mail scanners open links).
// Mail clients' one-click unsubscribe POSTs to the same API directly.
import { request } from "../api.js";
import { t, lang } from "../i18n.js";
import { $, h, initPage, announce, busy } from "../ui.js";

initPage();

const token = new URLSearchParams(location.search).get("t") || "";
const box = $("#unsubscribe");
const api = "/api/townhall/public/alerts/unsubscribe";
const names = (topics) => topics.map((tp) => (lang() === "es" ? tp.name_es : tp.name_en));
const profileLink = () => h("p", {}, h("a", { href: "/profile.html#alerts" }, t("unsubscribe.profile")));

function fail(err) {
  box.replaceChildren(h("div", { class: "notice error", role: "alert" }, h("p", {}, (err && err.message) || t("errors.load"))), profileLink());
}

async function stop(button) {
  busy(button, true);
  try {
    const res = await request("POST", api, { token }, { auth: false });
    box.replaceChildren(h("p", { class: "notice ok", role: "status", id: "unsubscribed" }, res.message), profileLink());
    announce(res.message);
  } catch (err) {
    busy(button, false);
    fail(err.status === 0 ? { message: t("errors.network") } : err);
  }
}

async function load() {
  if (!token) return fail({ message: t("unsubscribe.no_token") });
  let info;
  try {
    info = await request("GET", `${api}?t=${encodeURIComponent(token)}`, undefined, { auth: false });
  } catch (err) {
    return fail(err);
  }
  const still = info.topics.filter((tp) => tp.subscribed);
  if (!still.length) {
    box.replaceChildren(h("p", { class: "notice ok", role: "status" }, t("unsubscribe.already")), profileLink());
    return;
  }
  box.replaceChildren(
    h("p", {}, t("unsubscribe.question")),
    h("ul", { id: "unsubscribe-topics" }, names(still).map((n) => h("li", {}, n))),
    h("div", { class: "button-row" }, h("button", { type: "button", class: "button", id: "unsubscribe-button", onclick: (ev) => stop(ev.target) }, t("unsubscribe.button"))),
    profileLink());
}

load();
