// reset.js — staff ask for a password reset link, or set a new password with one.
import { requestPasswordReset, confirmPasswordReset } from "../api.js";
import { $, h, param, showErrors, showApiError, busy } from "../ui.js";
import { initStaff } from "./console.js";

initStaff({ requireSignIn: false });
const box = $("#content");
const token = param("token");

const field = (id, label, type, autocomplete) => h("div", { class: "field" }, h("label", { for: id }, label),
  h("input", { type, id, name: id, autocomplete, required: true }));

if (!token) {
  const form = h("form", { novalidate: true }, field("email", "Work email address", "email", "username"),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, "Send the link")));
  box.replaceChildren(form);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (!form.email.value.trim()) return showErrors(form, { email: "Enter your work email address." });
    busy(form.querySelector("button"), true);
    try {
      await requestPasswordReset("staff", form.email.value.trim());
      box.replaceChildren(h("p", { class: "notice ok", role: "status" }, "If the address belongs to a staff account, a link is on its way."));
    } catch (err) {
      showApiError(form, err);
    } finally {
      busy(form.querySelector("button"), false);
    }
  });
} else {
  const form = h("form", { novalidate: true }, field("password", "New password (at least 10 characters)", "password", "new-password"),
    field("passwordConfirm", "Type it again", "password", "new-password"),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, "Save the new password")));
  box.replaceChildren(form);
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (form.password.value.length < 10) return showErrors(form, { password: "The password must have at least 10 characters." });
    if (form.password.value !== form.passwordConfirm.value) return showErrors(form, { passwordConfirm: "The two passwords are not the same." });
    try {
      await confirmPasswordReset("staff", token, form.password.value);
      box.replaceChildren(h("p", { class: "notice ok", role: "status" }, "Your password is changed. ", h("a", { href: "/staff/signin.html" }, "Sign in")));
    } catch (err) {
      showApiError(form, err);
    }
  });
}
