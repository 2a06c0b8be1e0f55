// confirm-email.js — confirms a new email address from the link we sent to
// it. PocketBase asks for the account's password too, so that a link
// forwarded to someone else cannot move the account.
import { confirmEmailChange, signOut, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, param, showErrors, showApiError, busy, announce } from "../ui.js";

initPage();
const box = $("#content");
const token = param("token");

if (!token) {
  box.replaceChildren(h("div", { class: "notice error", role: "alert" }, h("p", {}, t("confirm_email.no_token"))));
} else {
  const form = h("form", { id: "confirm-email", novalidate: true },
    h("div", { class: "field" },
      h("label", { for: "password" }, t("confirm_email.password")),
      h("span", { class: "hint", id: "password-hint" }, t("confirm_email.password_hint")),
      h("input", { type: "password", id: "password", name: "password", autocomplete: "current-password", required: true, "aria-describedby": "password-hint" })),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, t("confirm_email.confirm"))));
  box.replaceChildren(h("p", {}, t("confirm_email.intro")), form);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const password = form.password.value;
    if (!password) return showErrors(form, { password: t("confirm_email.password_needed") });
    const button = form.querySelector("button[type=submit]");
    busy(button, true);
    try {
      await confirmEmailChange(token, password);
      signOut(); // the old sign-in ends with the old address
      box.replaceChildren(h("div", { class: "notice ok", role: "status" }, h("p", {}, t("confirm_email.done"))),
        h("p", {}, h("a", { class: "button", href: "/signin.html?next=/profile.html" }, t("confirm_email.sign_in"))));
      announce(t("confirm_email.done"));
    } catch (err) {
      if (err instanceof ApiError && err.status === 400 && err.fields.password) showErrors(form, { password: t("confirm_email.wrong_password") });
      else if (err instanceof ApiError && err.status === 400) box.replaceChildren(h("div", { class: "notice error", role: "alert" }, h("p", {}, t("confirm_email.failed"))));
      else showApiError(form, err);
    } finally {
      busy(button, false);
    }
  });
}
