// permitform.js — a permit type's questions as form controls, and reading
// the answers back, for the resident's application and staff intake.
import { t } from "./i18n.js";
import { $, $$, h, txt } from "./ui.js";
import { addressSearch } from "./addresssearch.js";

/** fieldInput draws one question of the form; its inputs are named prefix.key (the server's error keys). */
export function fieldInput(f, value, prefix = "data") {
  const name = `${prefix}.${f.key}`;
  const id = prefix === "data" ? `f-${f.key}` : `${prefix}-${f.key}`;
  const label = txt(f.label) + (f.unit && txt(f.unit) ? ` (${txt(f.unit)})` : "");
  const req = f.required ? h("span", { class: "required-mark" }, ` ${t("required")}`) : null;
  const hintId = f.help ? `${id}-hint` : null;
  const hint = f.help ? h("span", { class: "hint", id: hintId }, txt(f.help)) : null;
  const common = { id, name, "aria-describedby": hintId, "aria-required": f.required ? "true" : null };
  const options = f.options || [];
  switch (f.kind) {
    case "long_text":
      return h("div", { class: "field" }, h("label", { for: id }, label, req), hint, h("textarea", common, value ?? ""));
    case "choice":
    case "multi_choice":
    case "yes_no": {
      const multi = f.kind === "multi_choice";
      const choices = f.kind === "yes_no" ? [{ value: "yes", label: { en: t("yes") } }, { value: "no", label: { en: t("no") } }] : options;
      const current = f.kind === "yes_no" ? (value === true ? "yes" : value === false ? "no" : "") : value;
      return h("fieldset", { class: "field", "data-field": name, "aria-describedby": hintId },
        h("legend", {}, label, req), hint,
        choices.map((o, i) => {
          const oid = `${id}-${i}`;
          const checked = multi ? Array.isArray(current) && current.includes(o.value) : current === o.value;
          return h("div", { class: "choice" },
            h("input", { type: multi ? "checkbox" : "radio", id: oid, name, value: o.value, checked }),
            h("label", { for: oid }, f.kind === "yes_no" ? o.label.en : txt(o.label)));
        }));
    }
    default: {
      const type = { date: "date", email: "email", phone: "tel" }[f.kind] || "text";
      const extra = f.kind === "number" ? { inputmode: "decimal" } : f.kind === "address" ? { autocomplete: "street-address", "data-address-key": f.key } : {};
      return h("div", { class: "field" }, h("label", { for: id }, label, req), hint,
        h("input", { ...common, ...extra, type, value: value ?? "" }));
    }
  }
}

/** answers reads the form's answers by field kind. */
export function answers(form, fields, prefix = "data") {
  const out = {};
  for (const f of fields || []) {
    const name = `${prefix}.${f.key}`;
    if (f.kind === "multi_choice") {
      const v = $$(`input[name="${name}"]:checked`, form).map((i) => i.value);
      if (v.length) out[f.key] = v;
    } else if (f.kind === "choice" || f.kind === "yes_no") {
      const c = $(`input[name="${name}"]:checked`, form);
      if (c) out[f.key] = f.kind === "yes_no" ? c.value === "yes" : c.value;
    } else {
      const el = form.elements.namedItem(name);
      const v = el ? el.value.trim() : "";
      if (v !== "") out[f.key] = v;
    }
  }
  return out;
}


/**
 * attachAddressSearch makes the site address box and every `address`
 * question of the form an address search; picks maps each box's answer key
 * ("site_address" or the question's key) to the picked address, as given
 * (the server keeps an id's point and parcel: permits' address_picks).
 */
export function attachAddressSearch(form, picks = {}) {
  const boxes = [...$$("input[data-address-key]", form)];
  const site = form.elements.namedItem("site_address");
  if (site) {
    site.dataset.addressKey = "site_address";
    boxes.unshift(site);
  }
  for (const input of boxes) {
    if (input.getAttribute("role") === "combobox") continue; // attached already (the staff form draws its questions again)
    const had = picks[input.dataset.addressKey];
    if (had && had.label === input.value) {
      input.dataset.addressId = had.id;
      input.dataset.addressLabel = had.label;
    }
    addressSearch(input, {
      onPick: (item) => {
        const where = $(`#${input.id}-picked`, form) || h("p", { class: "small muted", id: `${input.id}-picked` });
        where.textContent = item.parcel ? t("address.parcel", { parcel: item.parcel }) : "";
        input.closest(".field").append(where);
      },
    });
  }
}

/** addressPicks reads which boxes still hold a picked address: {key: address id}. */
export function addressPicks(form) {
  const out = {};
  for (const input of $$("input[data-address-key]", form)) {
    if (input.dataset.addressId && input.value === input.dataset.addressLabel) out[input.dataset.addressKey] = input.dataset.addressId;
  }
  return out;
}
