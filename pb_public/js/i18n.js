// i18n.js — the site's words in English and Spanish. The reader's choice is
// kept in this browser (and in the profile when signed in); <html lang>
// follows it.

import { strings } from "./strings.js";

const KEY = "th_lang";
let forced = "";

/** forceLang fixes this page's language whatever the reader chose (the staff console is in English). */
export function forceLang(l) {
  forced = l;
  document.documentElement.lang = l;
}

/** lang is the reader's language: "en" or "es". */
export function lang() {
  if (forced) return forced;
  const stored = localStorage.getItem(KEY);
  if (stored === "en" || stored === "es") return stored;
  return (navigator.language || "en").toLowerCase().startsWith("es") ? "es" : "en";
}

/** setLang remembers a language choice (remember=false only applies it for now). */
export function setLang(l, remember = true) {
  if (l !== "en" && l !== "es") return;
  if (remember) localStorage.setItem(KEY, l);
  else if (!localStorage.getItem(KEY)) localStorage.setItem(KEY, l);
  document.documentElement.lang = l;
}

/**
 * t returns the text of key in the reader's language with {name}
 * placeholders filled. A text that depends on a number may have a form per
 * plural category of the language ("key.one" beside "key", which is the
 * other form), picked for the first number among vars by Intl.PluralRules.
 */
export function t(key, vars = {}) {
  const n = Object.values(vars).find((v) => typeof v === "number");
  const form = n === undefined ? undefined : strings[`${key}.${new Intl.PluralRules(lang()).select(n)}`];
  const entry = form || strings[key];
  if (entry === undefined) return key;
  let s = entry[lang()] ?? entry.en;
  for (const [k, v] of Object.entries(vars)) s = s.split(`{${k}}`).join(String(v));
  return s;
}

/**
 * translate fills elements marked data-i18n="key" (their text) and
 * data-i18n-attr="attr:key;attr:key" (their attributes) under root.
 */
export function translate(root) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll("[data-i18n-attr]")) {
    for (const pair of el.dataset.i18nAttr.split(";")) {
      const [attr, key] = pair.split(":");
      if (attr && key) el.setAttribute(attr.trim(), t(key.trim()));
    }
  }
  const title = document.querySelector("title[data-i18n]");
  if (title) document.title = `${t(title.dataset.i18n)} — ${t("site.name")}`;
}
