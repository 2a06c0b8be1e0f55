// keep.js — what a resident typed stays on this device until the county's
// server has confirmed it; a lost connection is said plainly, with a button
// to send it again. Records sent this way carry an id chosen here once, so
// sending again after an answer was lost never files anything twice.
import { ApiError } from "./api.js";
import { t } from "./i18n.js";
import { $, h, announce } from "./ui.js";

/** newID is a record id chosen in the browser (15 lower-case letters and digits, as the server's). */
export function newID() {
  const abc = "abcdefghijklmnopqrstuvwxyz0123456789";
  return [...crypto.getRandomValues(new Uint8Array(15))].map((b) => abc[b % abc.length]).join("");
}

/** kept is what one person typed in one form, kept in this browser under key until drop(). */
export function kept(key, owner = "") {
  return {
    read() {
      try {
        const d = JSON.parse(localStorage.getItem(key) || "null");
        return d && d.owner === owner ? d : null;
      } catch {
        return null;
      }
    },
    save(d) {
      try {
        localStorage.setItem(key, JSON.stringify({ ...d, owner }));
      } catch {
        /* storage full or switched off: the form still works, only without the copy */
      }
    },
    drop() {
      localStorage.removeItem(key);
    },
  };
}

/** lostConnection says whether err means no answer came back from the server. */
export const lostConnection = (err) => err instanceof ApiError && err.status === 0;

/**
 * offline says, just before el, that the connection was lost and that
 * nothing typed is lost, and offers "Send again" (ids `${name}-offline` and
 * `${name}-resend`), which calls resend.
 */
export function offline(el, name, resend) {
  sent(name);
  const note = h("div", { class: "notice warn", role: "alert", id: `${name}-offline` },
    h("p", {}, t("keep.offline")),
    h("div", { class: "button-row" }, h("button", { type: "button", class: "button", id: `${name}-resend`, onclick: resend }, t("keep.send_again"))));
  el.before(note);
  $(`#${name}-resend`).focus();
  addEventListener("online", () => { if ($(`#${name}-resend`)) announce(t("keep.back_online")); }, { once: true });
}

/** sent takes the lost-connection notice away once the server has answered. */
export function sent(name) {
  const old = $(`#${name}-offline`);
  if (old) old.remove();
}

/** restored is the note that a form shows what was kept from last time. */
export const restored = () => h("p", { class: "notice", role: "status" }, t("keep.restored"));
