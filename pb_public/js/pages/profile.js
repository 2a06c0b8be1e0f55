// profile.js — the resident's name, phone, address and language; a copy of
// their data; closing the account.
import { auth, getRecord, updateRecord, updateStoredRecord, deleteRecord, list, signOut, eq, requestEmailChange, ApiError } from "../api.js";
import { t, setLang } from "../i18n.js";
import { $, h, initPage, showApiError, showErrors, announce, busy, notice } from "../ui.js";

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

  const data = h("section", { "aria-labelledby": "data-h" }, h("h2", { id: "data-h" }, t("profile.data")),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "button secondary", onclick: () => download(me) }, t("profile.download")),
      h("button", { type: "button", class: "button danger", onclick: () => closeAccount(me) }, t("profile.delete"))),
    h("div", { id: "data-status", "aria-live": "polite" }));
  box.replaceChildren(form, emailForm, data);
}

async function download(me) {
  const all = async (collection, filter) => (await list(collection, { filter, perPage: 500 })).items;
  const dump = {
    account: me,
    permits: await all("permits", eq("owner", me.id)),
    // reports followed through a merged duplicate show no reporter: only your own are yours
    reports: (await all("complaints", "")).filter((r) => r.reporter === me.id),
    documents: await all("documents", eq("owner", me.id)),
    history: await all("events", ""),
    ratings: await all("feedback", eq("author", me.id)),
  };
  const url = URL.createObjectURL(new Blob([JSON.stringify(dump, null, 2)], { type: "application/json" }));
  const a = h("a", { href: url, download: "my-townhall-data.json" });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(url);
}

async function closeAccount(me) {
  if (!confirm(t("profile.delete_confirm"))) return;
  try {
    await deleteRecord("users", me.id);
    signOut();
    location.href = "/";
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) notice($("#data-status"), t("profile.delete_blocked"), "warn");
    else notice($("#data-status"), t("errors.generic"), "error");
  }
}

load();
