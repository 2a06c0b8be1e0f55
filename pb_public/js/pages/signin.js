// signin.js — residents sign in with email and password.
import { signIn, ApiError } from "../api.js";
import { t } from "../i18n.js";
import { $, initPage, showErrors, showApiError, busy, param, safeNext } from "../ui.js";

initPage();

$("#signin").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const email = form.email.value.trim();
  const password = form.password.value;
  const errors = {};
  if (!email) errors.email = t("signup.email_needed");
  if (!password) errors.password = t("signin.failed");
  if (Object.keys(errors).length) return showErrors(form, errors);
  const button = form.querySelector("button[type=submit]");
  busy(button, true);
  try {
    await signIn("users", email, password);
    location.href = safeNext(param("next")) || "/my.html";
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) showErrors(form, {}, t("signin.failed"));
    else showApiError(form, err);
  } finally {
    busy(button, false);
  }
});
