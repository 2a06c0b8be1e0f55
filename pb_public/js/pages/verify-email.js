// verify-email.js — confirms the email address from the link we sent, or
// offers to send the link again.
import { auth, confirmVerification, requestVerification, refreshAuth, emailStatus } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, param, announce, confirmationNotice } from "../ui.js";

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
  // confirmed in the meantime (the link, or at the office)?
  const me = (await refreshAuth().catch(() => null)) || a.record;
  if (me.verified) {
    box.replaceChildren(h("div", { class: "notice ok", role: "status" }, h("p", {}, t("verify_email.already", { email: me.email }))),
      h("p", {}, h("a", { class: "button", href: "/my.html" }, t("verify_email.continue"))));
    return;
  }
  const email = me.email;
  const button = h("button", { class: "button", type: "button" }, t("verify_email.resend"));
  const status = h("div", { "aria-live": "polite" });
  button.addEventListener("click", async () => {
    button.disabled = true;
    try {
      await requestVerification(email);
      status.replaceChildren(h("p", { class: "notice ok" }, t("verify_email.sent", { email })));
      const notice = await confirmationNotice(emailStatus);
      if (notice) status.append(notice);
    } catch {
      status.replaceChildren(h("p", { class: "notice error" }, t("errors.busy")));
    }
    button.disabled = false;
  });
  box.replaceChildren(h("p", {}, t("verify_email.pending", { email })), button, status);
  const notice = await confirmationNotice(emailStatus);
  if (notice) status.replaceChildren(notice);
}

run();
