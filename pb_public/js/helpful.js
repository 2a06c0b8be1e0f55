// helpful.js — "Was this page helpful?" under the help and service pages:
// yes or no and an optional comment, sent without an account or a name.
import { request } from "./api.js";
import { t, lang } from "./i18n.js";
import { h, announce, showErrors, showApiError } from "./ui.js";

/** addHelpful appends the question to main for page (e.g. "/help.html"). */
export function addHelpful(page) {
  const main = document.querySelector("main");
  if (!main || document.getElementById("helpful")) return;
  const section = h("section", { id: "helpful", class: "helpful", "aria-labelledby": "helpful-h" });
  const done = (key) => {
    section.replaceChildren(h("h2", { id: "helpful-h" }, t("helpful.title")), h("p", { class: "notice ok", role: "status" }, t(key)));
    announce(t(key));
  };
  const form = h("form", { id: "helpful-form", novalidate: true },
    h("fieldset", { class: "field" }, h("legend", {}, t("helpful.question")),
      h("div", { class: "choice" }, h("input", { type: "radio", id: "helpful-yes", name: "helpful", value: "yes" }),
        h("label", { for: "helpful-yes" }, t("helpful.yes"))),
      h("div", { class: "choice" }, h("input", { type: "radio", id: "helpful-no", name: "helpful", value: "no" }),
        h("label", { for: "helpful-no" }, t("helpful.no")))),
    h("div", { class: "field", "data-field": "comment" },
      h("label", { for: "helpful-comment" }, t("helpful.comment"), h("span", { class: "muted" }, ` ${t("optional")}`)),
      h("textarea", { id: "helpful-comment", name: "comment", maxlength: "1000", rows: "3" }),
      h("p", { class: "small muted" }, t("helpful.anonymous"))),
    h("div", { class: "button-row" }, h("button", { class: "button secondary", type: "submit" }, t("helpful.send"))));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const picked = form.querySelector("input[name=helpful]:checked");
    if (!picked) {
      showErrors(form, {}, t("helpful.choose"));
      return;
    }
    try {
      await request("POST", "/api/collections/page_feedback/records",
        { page, helpful: picked.value === "yes", comment: form.comment.value.trim(), language: lang() }, { auth: false });
      done("helpful.thanks");
    } catch (err) {
      if (err.status === 429) showErrors(form, {}, t("helpful.later"));
      else showApiError(form, err);
    }
  });
  section.append(h("h2", { id: "helpful-h" }, t("helpful.title")), form);
  main.append(section);
}
