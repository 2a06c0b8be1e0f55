// verify.js — anyone checks a permit number: type, status, validity, site.
import { request } from "../api.js";
import { t, lang } from "../i18n.js";
import { $, h, initPage, formatDate, param, showErrors, announce } from "../ui.js";

initPage();
const form = $("#verify");

async function check(number) {
  const result = $("#result");
  result.replaceChildren(h("p", {}, t("loading")));
  try {
    const p = await request("GET", `/api/townhall/verify/${encodeURIComponent(number)}`, undefined, { auth: false });
    const msg = p.valid ? t("verify.valid") : t("verify.invalid");
    result.replaceChildren(h("div", { class: `notice ${p.valid ? "ok" : "warn"}` },
      h("h2", {}, `${p.number}: ${msg}`),
      h("dl", { class: "facts" },
        h("dt", {}, t("verify.type")), h("dd", {}, lang() === "es" && p.type_name_es ? p.type_name_es : p.type_name),
        h("dt", {}, t("verify.status")), h("dd", {}, t(`status.permit.${p.status}`)),
        h("dt", {}, t("verify.address")), h("dd", {}, p.site_address || "—"),
        h("dt", {}, t("verify.issued")), h("dd", {}, formatDate(p.issued_at) || "—"),
        h("dt", {}, t("verify.expires")), h("dd", {}, formatDate(p.expires_at) || t("verify.no_expiry")),
        h("dt", {}, t("verify.department")), h("dd", {}, p.department || "—"))));
    announce(`${p.number}: ${msg}`);
  } catch {
    result.replaceChildren();
    showErrors(form, { number: t("verify.not_found") });
  }
}

form.addEventListener("submit", (ev) => {
  ev.preventDefault();
  const number = form.number.value.trim().toUpperCase();
  if (!number) return showErrors(form, { number: t("verify.not_found") });
  history.replaceState(null, "", `/verify.html?number=${encodeURIComponent(number)}`);
  check(number);
});

if (param("number")) {
  form.number.value = param("number");
  check(param("number").toUpperCase());
}
