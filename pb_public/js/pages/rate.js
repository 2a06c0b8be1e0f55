// rate.js — the page a rating link of the "resolved" email opens: it records
// the rating at once (no sign-in: the link's token stands for the resident)
// and offers to add a comment.
import { request } from "../api.js";
import { t } from "../i18n.js";
import { $, h, initPage, announce, showErrors, showApiError, busy } from "../ui.js";
import { kept, lostConnection, offline, restored } from "../keep.js";

initPage();

const params = new URLSearchParams(location.search);
const token = params.get("t") || "";
const box = $("#rate");

function fail(err) {
  box.replaceChildren(h("p", { class: "notice error", role: "alert" }, (err && err.message) || t("errors.load")));
}

// the comment stays on this device until the county has it (the link's token names whose it is)
const store = kept("th_rate_comment", token);

function commentForm(rated) {
  const draft = store.read();
  const form = h("form", { id: "rate-comment-form", novalidate: true },
    draft && draft.comment ? restored() : null,
    h("div", { class: "field", "data-field": "comment" },
      h("label", { for: "rate-comment" }, t("request.rating_comment"), h("span", { class: "muted" }, ` ${t("optional")}`)),
      h("textarea", { id: "rate-comment", name: "comment", maxlength: "2000" })),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit", id: "rate-comment-send" }, t("rate.comment_send"))));
  if (draft) form.comment.value = draft.comment || "";
  form.addEventListener("input", () => store.save({ comment: form.comment.value }));
  const send = async () => {
    const comment = form.comment.value.trim();
    if (!comment) return showErrors(form, { comment: t("rate.comment_needed") });
    store.save({ comment: form.comment.value });
    const button = $("#rate-comment-send");
    busy(button, true);
    try {
      // sent again after a lost answer, the same comment is recorded once
      await request("POST", "/api/townhall/public/rate/comment", { token, comment }, { auth: false });
      store.drop();
      box.replaceChildren(h("p", { class: "notice ok", role: "status" }, t("rate.comment_thanks")));
      announce(t("rate.comment_thanks"));
    } catch (err) {
      busy(button, false);
      if (lostConnection(err)) return offline(form, "rate-comment", send);
      showApiError(form, err);
    }
  };
  form.addEventListener("submit", (ev) => { ev.preventDefault(); send(); });
  box.replaceChildren(
    h("p", { class: "notice ok", role: "status", id: "rate-done" }, t("rate.thanks", { n: rated.rating, reference: rated.reference || "" })),
    form);
  announce(t("rate.thanks", { n: rated.rating, reference: rated.reference || "" }));
}

async function rate(n) {
  try {
    // sent again after a lost answer, the same rating is recorded once
    commentForm(await request("POST", "/api/townhall/public/rate", { token, rating: n }, { auth: false }));
  } catch (err) {
    if (!lostConnection(err)) return fail(err);
    const holder = h("div", { id: "rate-pending" });
    box.replaceChildren(holder);
    offline(holder, "rate", () => rate(n));
  }
}

function choose() {
  const form = h("form", { id: "rate-form", novalidate: true },
    h("fieldset", { class: "field", "data-field": "rating" }, h("legend", {}, t("request.rating")),
      [5, 4, 3, 2, 1].map((n) => h("div", { class: "choice" },
        h("input", { type: "radio", id: `rate-${n}`, name: "rating", value: String(n) }),
        h("label", { for: `rate-${n}` }, t("request.rating_n", { n }))))),
    h("div", { class: "button-row" }, h("button", { class: "button", type: "submit" }, t("request.rate_send"))));
  form.addEventListener("submit", (ev) => {
    ev.preventDefault();
    const picked = form.querySelector("input[name=rating]:checked");
    if (!picked) return showErrors(form, { rating: t("request.rating") });
    rate(Number(picked.value));
  });
  box.replaceChildren(form);
}

const n = Number(params.get("r"));
if (!token) fail({ message: t("rate.no_token") });
else if (n >= 1 && n <= 5) rate(n);
else choose();
