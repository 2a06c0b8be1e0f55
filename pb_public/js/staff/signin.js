// signin.js — staff sign in with their work account (the staff collection).
import { signIn, ApiError } from "../api.js";
import { $, showErrors, showApiError, busy, param, safeNext } from "../ui.js";
import { initStaff } from "./console.js";

initStaff({ requireSignIn: false });

$("#signin").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const form = ev.target;
  const email = form.email.value.trim();
  const password = form.password.value;
  if (!email || !password) return showErrors(form, email ? { password: "Enter your password." } : { email: "Enter your work email address." });
  const button = form.querySelector("button[type=submit]");
  busy(button, true);
  try {
    await signIn("staff", email, password);
    location.href = safeNext(param("next"), "/staff/") || "/staff/";
  } catch (err) {
    if (err instanceof ApiError && err.status === 400) showErrors(form, {}, "The email address or password is not right. If your account has been switched off, we have emailed you: ask the portal's administrator to switch it back on.");
    else showApiError(form, err);
  } finally {
    busy(button, false);
  }
});
