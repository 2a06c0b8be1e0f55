// addresssearch.js — the address search box: an ARIA 1.2 combobox (an
// editable input with a listbox popup) over the county's address points.
// Up and Down move through the suggestions, Enter picks one, Escape closes
// the list; how many were found is said in a live region. Picking an
// address keeps its text in the box and tells onPick its point and parcel.
import { t } from "./i18n.js";
import { h } from "./ui.js";
import { request } from "./api.js";

let boxes = 0;

/** searchAddresses asks the server for addresses starting with q. */
export async function searchAddresses(q, limit = 8) {
  const p = new URLSearchParams({ q, limit: String(limit) });
  return (await request("GET", `/api/townhall/public/addresses?${p}`, undefined, { auth: false })).items || [];
}

/** nearestAddress is the address nearest a point, or null. */
export async function nearestAddress(lat, lon) {
  const p = new URLSearchParams({ lat: String(lat), lon: String(lon) });
  return (await request("GET", `/api/townhall/public/addresses/nearest?${p}`, undefined, { auth: false })).item || null;
}

/**
 * addressSearch turns a text input into the address combobox. onPick(item)
 * gets {id, label, lat, lon, parcel}; typing again forgets the pick
 * (input.dataset.addressId is the picked address while its text is kept).
 */
export function addressSearch(input, { onPick = () => {}, onType = () => {} } = {}) {
  const n = ++boxes;
  const listId = `${input.id}-addresses`;
  const list = h("ul", { id: listId, role: "listbox", class: "address-options", hidden: true, "aria-label": t("address.suggestions") });
  const status = h("div", { class: "visually-hidden", role: "status", "aria-live": "polite", id: `${input.id}-address-status` });
  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);
  input.setAttribute("autocomplete", "off");
  const wrap = h("div", { class: "address-search" });
  input.replaceWith(wrap);
  wrap.append(input, list, status);

  let items = [];
  let active = -1;
  let asked = 0;
  let timer = 0;
  let pickedAt = 0;

  const say = (msg) => { status.textContent = ""; setTimeout(() => { status.textContent = msg; }, 50); };
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", list.children[i].id);
      list.children[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const pick = (item) => {
    input.value = item.label;
    input.dataset.addressId = item.id;
    input.dataset.addressLabel = item.label;
    pickedAt = Date.now();
    close();
    say(t("address.picked", { label: item.label }));
    onPick(item);
  };
  const show = (found) => {
    items = found;
    list.replaceChildren(...found.map((it, i) => {
      const li = h("li", { id: `addr${n}-${i}`, role: "option", "aria-selected": "false", class: "address-option" }, it.label);
      li.addEventListener("mousedown", (ev) => ev.preventDefault()); // keep the focus in the box
      li.addEventListener("click", () => pick(it));
      return li;
    }));
    active = -1;
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      say(t(found.length === 1 ? "address.found_one" : "address.found", { n: found.length }));
    } else {
      close();
      say(t("address.none"));
    }
  };
  const look = async () => {
    const q = input.value.trim();
    const mine = ++asked;
    if (q.length < 2) {
      items = [];
      close();
      return;
    }
    try {
      const found = await searchAddresses(q);
      if (mine === asked) show(found);
    } catch {
      if (mine === asked) { close(); say(t("address.unavailable")); }
    }
  };

  input.addEventListener("input", () => {
    delete input.dataset.addressId;
    delete input.dataset.addressLabel;
    onType();
    clearTimeout(timer);
    timer = setTimeout(look, 180);
  });
  input.addEventListener("keydown", (ev) => {
    const open = !list.hidden;
    switch (ev.key) {
      case "ArrowDown":
        ev.preventDefault();
        if (!open) { if (items.length) { show(items); mark(0); } else look(); return; }
        mark(Math.min(active + 1, items.length - 1));
        break;
      case "ArrowUp":
        ev.preventDefault();
        if (open) mark(active <= 0 ? items.length - 1 : active - 1);
        break;
      case "Enter":
        if (open && active >= 0) { ev.preventDefault(); pick(items[active]); }
        break;
      case "Escape":
        if (open) { ev.preventDefault(); close(); }
        break;
      case "Tab":
        close();
        break;
    }
  });
  // the Enter that picked an address never sends the form (some keyboards
  // deliver it again as a keypress)
  input.addEventListener("keypress", (ev) => {
    if (ev.key === "Enter" && (!list.hidden || Date.now() - pickedAt < 500)) ev.preventDefault();
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  return { pick, close };
}
