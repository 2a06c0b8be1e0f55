// verify-email.js — confirms the email address from the link we sent, or
// offers to send the link again.
import { auth, confirmVerification, requestVerification, refreshAuth } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, param, announce } from "../ui.js";

initPage();
const box = $("#content");

async function run() {
  const token = param("token");
  if (token) {
    box.replaceChildren(h("p", {}, t("verify_email.working")));
    try {
      await confirmVerification(token);
      if (auth()) await refreshAuth().catch(() => null);
      box.replaceChildren(h("div", { class: "notice ok", role: "status" }, h("p", {}, t("verify_email.done"))),
        h("p", {}, h("a", { class: "button", href: auth() ? "/my.html" : "/signin.html" }, t("verify_email.continue"))));
      announce(t("verify_email.done"));
    } catch {
      box.replaceChildren(h("div", { class: "notice error", role: "alert" }, h("p", {}, t("verify_email.failed"))));
    }
    return;
  }
  const a = auth();
  if (!a) {
    location.replace("/signin.html?next=/verify-email.html");
    return;
  }
  const email = a.record.email;
  const button = h("button", { class: "button", type: "button" }, t("verify_email.resend"));
  const status = h("div", { "aria-live": "polite" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await requestVerification(email);
      status.replaceChildren(h("p", { class: "notice ok" }, t("verify_email.sent", { email })));
    } catch {
      status.replaceChildren(h("p", { class: "notice error" }, t("errors.busy")));
    }
    button.disabled = false;
  });
  box.replaceChildren(h("p", {}, t("verify_email.pending", { email })), button, status);
}

run();
