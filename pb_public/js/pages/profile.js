// profile.js — the resident's name, phone, address and language; a copy of
// their data; closing the account.
import { auth, getRecord, updateRecord, updateStoredRecord, request, signOut, requestEmailChange, list, createRecord, deleteRecord, eq } from "../api.js";
import { t, setLang } from "../i18n.js";
import { $, h, initPage, refreshHeader, showApiError, showErrors, announce, busy, notice, pick } from "../ui.js";

const user = initPage({ requireSignIn: true });
const box = $("#content");

async function load() {
  if (!user) return;
  let me;
  try {
    me = await getRecord("users", auth().record.id);
  } catch {
    notice(box, t("errors.load"), "error");
    return;
  }
  const text = (id, label, value, autocomplete, type = "text") => h("div", { class: "field" },
    h("label", { for: id }, label), h("input", { type, id, name: id, value: value || "", autocomplete }));
  const form = h("form", { id: "profile", novalidate: true },
    h("dl", { class: "facts" }, h("dt", {}, t("profile.email")),
      h("dd", {}, me.email, " — ", me.verified ? t("profile.verified") : h("a", { href: "/verify-email.html" }, t("profile.unverified")))),
    text("name", t("profile.name"), me.name, "name"),
    text("phone", t("profile.phone"), me.phone, "tel", "tel"),
    text("address", t("profile.address"), me.address, "street-address"),
    h("fieldset", { class: "field", "data-field": "language" }, h("legend", {}, t("profile.language")),
      ["en", "es"].map((l) => h("div", { class: "choice" },
        h("input", { type: "radio", id: `language-${l}`, name: "language", value: l, checked: (me.language || "en") === l }),
        h("label", { for: `language-${l}`, lang: l }, t(`lang.${l}`))))),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, t("profile.save"))),
    h("div", { id: "profile-status", "aria-live": "polite" }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    busy(button, true);
    try {
      const language = form.querySelector("input[name=language]:checked").value;
      const rec = await updateRecord("users", me.id, {
        name: form.name.value.trim(), phone: form.phone.value.trim(), address: form.address.value.trim(), language,
      });
      updateStoredRecord(rec);
      const changed = language !== document.documentElement.lang;
      setLang(language, true);
      if (changed) return location.reload();
      $("#profile-status").replaceChildren(h("p", { class: "notice ok" }, t("profile.saved")));
      announce(t("profile.saved"));
    } catch (err) {
      showApiError(form, err);
    } finally {
      busy(button, false);
    }
  });

  const emailForm = h("form", { id: "change-email", novalidate: true, "aria-labelledby": "email-h" },
    h("h2", { id: "email-h" }, t("profile.change_email")),
    h("div", { class: "field" }, h("label", { for: "new-email" }, t("profile.new_email")),
      h("span", { class: "hint", id: "new-email-hint" }, t("profile.new_email_hint")),
      h("input", { type: "email", id: "new-email", name: "newEmail", autocomplete: "email", "aria-describedby": "new-email-hint" })),
    h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit" }, t("profile.send_link"))),
    h("div", { id: "email-status", "aria-live": "polite" }));
  emailForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const email = emailForm.newEmail.value.trim();
    if (!email) return showErrors(emailForm, { newEmail: t("profile.email_needed") });
    const button = emailForm.querySelector("button[type=submit]");
    busy(button, true);
    try {
      await requestEmailChange(email);
      $("#email-status").replaceChildren(h("p", { class: "notice ok" }, t("profile.email_sent", { email })));
      announce(t("profile.email_sent", { email }));
    } catch (err) {
      showApiError(emailForm, err);
    } finally {
      busy(button, false);
    }
  });

  const password = h("input", { type: "password", id: "delete-password", name: "password", autocomplete: "current-password" });
  const deleteForm = h("form", { id: "delete-account", novalidate: true },
    h("h3", {}, t("profile.delete")),
    h("p", {}, t("profile.delete_explain")),
    h("div", { class: "field" }, h("label", { for: "delete-password" }, t("profile.delete_password")), password),
    h("div", { class: "button-row" }, h("button", { class: "button danger", type: "submit" }, t("profile.delete"))));
  deleteForm.addEventListener("submit", (ev) => { ev.preventDefault(); closeAccount(deleteForm); });
  const data = h("section", { "aria-labelledby": "data-h" }, h("h2", { id: "data-h" }, t("profile.data")),
    h("p", {}, t("profile.data_intro"), " ", h("a", { href: "/privacy.html" }, t("privacy.title"))),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "button secondary", id: "download-data", onclick: (ev) => download(ev.target) }, t("profile.download"))),
    h("div", { id: "data-status", "aria-live": "polite" }),
    deleteForm);
  box.replaceChildren(form, emailForm, await alertsSection(me), data);
  if (location.hash === "#alerts") $("#alerts-h").scrollIntoView();
}

/** alertsSection lets the resident choose the topics they get email alerts about. */
async function alertsSection(me) {
  const section = h("section", { "aria-labelledby": "alerts-h", id: "alerts" }, h("h2", { id: "alerts-h" }, t("alerts.title")),
    h("p", {}, t("alerts.intro")));
  let topics, mine;
  try {
    [topics, mine] = await Promise.all([
      list("alert_topics", { filter: "active = true", sort: "sort,name_en", perPage: 100 }).then((r) => r.items),
      list("alert_subscriptions", { filter: eq("user", me.id), perPage: 200 }).then((r) => r.items),
    ]);
  } catch {
    section.append(h("p", { class: "notice error" }, t("errors.load")));
    return section;
  }
  if (!topics.length) {
    section.append(h("p", {}, t("alerts.none")));
    return section;
  }
  if (!me.verified) {
    section.append(h("p", { class: "notice warn" }, t("alerts.verify_first")));
    return section;
  }
  const byTopic = new Map(mine.map((s) => [s.topic, s]));
  const form = h("form", { id: "alerts-form", novalidate: true },
    h("fieldset", { class: "field", "data-field": "topics" }, h("legend", {}, t("alerts.topics")),
      topics.map((tp) => h("div", { class: "choice" },
        h("input", { type: "checkbox", id: `alert-${tp.code}`, name: "topic", value: tp.id, checked: byTopic.has(tp.id) }),
        h("label", { for: `alert-${tp.code}` }, pick(tp, "name"))))),
    h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit" }, t("alerts.save"))),
    h("div", { id: "alerts-status", "aria-live": "polite" }));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const button = form.querySelector("button[type=submit]");
    busy(button, true);
    try {
      for (const box of form.querySelectorAll("input[name=topic]")) {
        const had = byTopic.get(box.value);
        if (box.checked && !had) byTopic.set(box.value, await createRecord("alert_subscriptions", { user: me.id, topic: box.value }));
        if (!box.checked && had) {
          await deleteRecord("alert_subscriptions", had.id);
          byTopic.delete(box.value);
        }
      }
      $("#alerts-status").replaceChildren(h("p", { class: "notice ok" }, t("alerts.saved")));
      announce(t("alerts.saved"));
    } catch (err) {
      showApiError(form, err);
    } finally {
      busy(button, false);
    }
  });
  section.append(form);
  return section;
}

/** download saves the server's zip of everything the portal holds about the resident. */
async function download(button) {
  busy(button, true);
  try {
    const res = await fetch("/api/townhall/account/export", { headers: { Authorization: auth().token, "Accept-Language": document.documentElement.lang } });
    if (!res.ok) throw new Error(String(res.status));
    const url = URL.createObjectURL(await res.blob());
    const name = (/filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "") || [])[1] || "my-data.zip";
    const a = h("a", { href: url, download: name });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
    notice($("#data-status"), t("profile.downloaded", { name }), "ok");
  } catch {
    notice($("#data-status"), t("errors.generic"), "error");
  } finally {
    busy(button, false);
  }
}

/** closeAccount deletes the account once the resident gives their password. */
async function closeAccount(form) {
  if (!form.password.value) return showErrors(form, { password: t("profile.delete_password_needed") });
  const button = form.querySelector("button[type=submit]");
  busy(button, true);
  try {
    const res = await request("POST", "/api/townhall/account/delete", { password: form.password.value });
    signOut();
    box.replaceChildren(h("div", { class: "notice ok", role: "status", id: "deleted" }, h("p", {}, res.message),
      h("p", {}, h("a", { href: "/" }, t("nav.services")))));
    refreshHeader();
  } catch (err) {
    showApiError(form, err);
  } finally {
    busy(button, false);
  }
}

load();
