// reset-password.js — ask for a reset link, or choose a new password with one.
import { requestPasswordReset, confirmPasswordReset } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, param, showErrors, showApiError, busy } from "../ui.js";

initPage();
const box = $("#content");
const token = param("token");

function field(id, label, type, autocomplete, hint) {
  return h("div", { class: "field" }, h("label", { for: id }, label),
    hint ? h("span", { class: "hint", id: `${id}-hint` }, hint) : null,
    h("input", { type, id, name: id, autocomplete, required: true, "aria-describedby": hint ? `${id}-hint` : null }));
}

if (!token) {
  const form = h("form", { novalidate: true }, field("email", t("reset.email"), "email", "email"),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, t("reset.send"))));
  box.replaceChildren(h("p", {}, t("reset.intro")), form);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const email = form.email.value.trim();
    if (!email) return showErrors(form, { email: t("signup.email_needed") });
    busy(form.querySelector("button"), true);
    try {
      await requestPasswordReset("users", email);
      box.replaceChildren(h("div", { class: "notice ok", role: "status" }, h("p", {}, t("reset.sent", { email }))));
    } catch (err) {
      showApiError(form, err);
    } finally {
      busy(form.querySelector("button"), false);
    }
  });
} else {
  const form = h("form", { novalidate: true },
    field("password", t("reset.new"), "password", "new-password", t("signup.password_hint")),
    field("passwordConfirm", t("reset.confirm"), "password", "new-password"),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, t("reset.save"))));
  box.replaceChildren(form);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const pw = form.password.value;
    if (pw.length < 10) return showErrors(form, { password: t("signup.short") });
    if (pw !== form.passwordConfirm.value) return showErrors(form, { passwordConfirm: t("signup.mismatch") });
    busy(form.querySelector("button"), true);
    try {
      await confirmPasswordReset("users", token, pw);
      box.replaceChildren(h("div", { class: "notice ok", role: "status" }, h("p", {}, t("reset.done"))),
        h("p", {}, h("a", { class: "button", href: "/signin.html" }, t("nav.signin"))));
    } catch (err) {
      if (err.status === 400 && !Object.keys(err.fields).some((k) => k.startsWith("password"))) {
        showErrors(form, {}, t("reset.failed"));
      } else showApiError(form, err);
    } finally {
      busy(form.querySelector("button"), false);
    }
  });
}
