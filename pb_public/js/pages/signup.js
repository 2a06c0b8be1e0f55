// signup.js — a resident creates an account; we send the confirmation email.
import { signUp, signIn, requestVerification, emailStatus } from "../api.js";
import { t, lang, setLang } from "../i18n.js";
import { $, h, initPage, showErrors, showApiError, busy, refreshHeader, confirmationNotice } from "../ui.js";

initPage();

const form = $("#signup");
form.querySelector(`input[name=language][value=${lang()}]`).checked = true;

form.addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const data = {
    name: form.name.value.trim(),
    email: form.email.value.trim(),
    password: form.password.value,
    passwordConfirm: form.passwordConfirm.value,
    language: form.language.value || lang(),
  };
  const errors = {};
  if (!data.name) errors.name = t("signup.name_needed");
  if (!data.email) errors.email = t("signup.email_needed");
  if (data.password.length < 10) errors.password = t("signup.short");
  else if (data.password !== data.passwordConfirm) errors.passwordConfirm = t("signup.mismatch");
  if (Object.keys(errors).length) return showErrors(form, errors);

  const button = form.querySelector("button[type=submit]");
  busy(button, true);
  try {
    await signUp(data);
    // the answer is the same whether or not the address already has an
    // account (its owner gets an email instead): sending the link and
    // signing in may fail without anything to tell here
    await requestVerification(data.email).catch(() => null);
    const signedIn = await signIn("users", data.email, data.password).catch(() => null);
    if (signedIn) {
      setLang(data.language, true);
      refreshHeader(); // signed in now: the header offers the profile, not "Sign in"
    }
    $("#content").replaceChildren(
      h("div", { class: "notice ok", role: "status", tabindex: "-1", id: "done" },
        h("h2", {}, t("signup.done_title")),
        h("p", {}, t("signup.done", { email: data.email }))));
    $("#done").focus();
    // the email may not leave (no mail server yet): say so, and where to go instead
    if (signedIn) {
      const notice = await confirmationNotice(emailStatus);
      if (notice) $("#content").append(notice);
    }
  } catch (err) {
    showApiError(form, err);
  } finally {
    busy(button, false);
  }
});
