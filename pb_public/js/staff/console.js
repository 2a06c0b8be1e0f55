// console.js — what every staff console page shares: English, the staff
// sign-in check, the header, live announcements and the keyboard help.
import { auth, signOut } from "../api.js";
import { forceLang } from "../i18n.js";
import { $, h, showNotices } from "../ui.js";

const NAV = [
  ["/staff/", "Queue"],
  ["/staff/mywork.html", "My work"],
  ["/staff/intake.html", "Walk-in or phone intake"],
  ["/staff/insights.html", "Insights"],
];

/** initStaff draws the page furniture and returns the signed-in staff member (or null, after sending them to sign in). */
export function initStaff({ requireSignIn = true } = {}) {
  forceLang("en");
  const a = auth();
  const me = a && a.collection === "staff" ? a.record : null;
  drawHeader(me);
  const footer = $("#site-footer");
  if (footer) {
    footer.className = "site-footer";
    footer.replaceChildren(h("div", { class: "inner" }, h("p", {}, "Townhall staff console. Press ? for keyboard shortcuts. ", h("a", { href: "/privacy.html" }, "What residents are told about their data"))));
  }
  showNotices("staff");
  if (!$("#live")) document.body.append(h("div", { id: "live", class: "visually-hidden", "aria-live": "polite", role: "status" }));
  if (requireSignIn && !me) {
    location.replace("/staff/signin.html?next=" + encodeURIComponent(location.pathname + location.search));
    return null;
  }
  return me;
}

function drawHeader(me) {
  const header = $("#site-header");
  if (!header) return;
  const here = location.pathname;
  const nav = me && me.role === "director" ? [...NAV, ["/staff/announcements.html", "Notices"]] : NAV;
  const items = me ? nav.map(([href, label]) => h("li", {}, h("a", { href, "aria-current": here === href ? "page" : null }, label))) : [];
  if (me) {
    items.push(h("li", {}, h("a", { href: "/staff/signin.html", onclick: () => signOut() }, `Sign out (${me.name})`)));
  }
  header.className = "site-header";
  header.replaceChildren(h("div", { class: "inner" },
    h("a", { class: "brand", href: "/staff/" }, "Staff console"),
    h("nav", { class: "site-nav", "aria-label": "Staff" }, h("ul", {}, items))));
}

/** deadlineBadge shows when work is due: overdue and escalation levels stand out. */
export function deadlineBadge(row) {
  const parts = [];
  if (row.overdue) parts.push(h("span", { class: "badge bad" }, "Overdue"));
  if (row.escalation_level > 0) parts.push(h("span", { class: "badge warn" }, `Escalated ${row.escalation_level}`));
  return parts;
}

/** age says how long ago something was created: "3 d", "5 h". */
export function age(created) {
  const ms = Date.now() - new Date(String(created).replace(" ", "T")).getTime();
  const hours = Math.floor(ms / 3600000);
  if (hours < 1) return "< 1 h";
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/**
 * shortcuts binds single-key shortcuts (ignored while typing in a field) and
 * a help overlay listing them, opened with "?".
 * keys: [{key, label, run}]
 */
export function shortcuts(keys) {
  const dialog = h("dialog", { id: "shortcuts", "aria-labelledby": "shortcuts-h" },
    h("h2", { id: "shortcuts-h" }, "Keyboard shortcuts"),
    h("table", {}, h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Key"), h("th", { scope: "col" }, "What it does"))),
      h("tbody", { id: "shortcut-list" })),
    h("form", { method: "dialog" }, h("button", { class: "button", type: "submit" }, "Close")));
  document.body.append(dialog);
  const all = [...keys, { key: "?", label: "Show this list", run: () => open() }];
  const list = () => $("#shortcut-list").replaceChildren(...all.filter((k) => !k.hidden || !k.hidden()).map((k) =>
    h("tr", {}, h("td", {}, h("kbd", {}, k.key)), h("td", {}, k.label))));
  const open = () => { list(); dialog.showModal(); };
  document.addEventListener("keydown", (ev) => {
    if (ev.ctrlKey || ev.metaKey || ev.altKey || dialog.open) return;
    const tag = (ev.target.tagName || "").toLowerCase();
    if (["input", "textarea", "select"].includes(tag) || ev.target.isContentEditable) return;
    const k = all.find((x) => x.key === ev.key && (!x.hidden || !x.hidden()));
    if (!k) return;
    ev.preventDefault();
    k.run();
  });
}
