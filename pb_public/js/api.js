// api.js — a small client for Townhall's API (PocketBase records, auth,
// files, realtime and our /api/townhall actions), over fetch.

const AUTH_KEY = "th_auth";

/** ApiError is a refusal from the server: status, message and per-field errors. */
export class ApiError extends Error {
  constructor(status, message, fields) {
    super(message);
    this.status = status;
    this.fields = fields || {}; // field name -> message
  }
}

/** auth returns the stored sign-in ({token, record, collection}) or null. */
export function auth() {
  try {
    const a = JSON.parse(localStorage.getItem(AUTH_KEY) || "null");
    if (!a || !a.token || tokenExpired(a.token)) return null;
    return a;
  } catch {
    return null;
  }
}

function tokenExpired(token) {
  try {
    const payload = JSON.parse(atob(token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    return !payload.exp || payload.exp * 1000 < Date.now() + 10000;
  } catch {
    return true;
  }
}

function saveAuth(data, collection) {
  localStorage.setItem(AUTH_KEY, JSON.stringify({ token: data.token, record: data.record, collection }));
}

/** signOut forgets the sign-in. */
export function signOut() {
  localStorage.removeItem(AUTH_KEY);
}

/** request sends a JSON request and returns the decoded answer or throws ApiError. */
export async function request(method, path, body, opts = {}) {
  const headers = { Accept: "application/json" };
  const a = auth();
  if (a && opts.auth !== false) headers.Authorization = a.token;
  const lang = document.documentElement.lang;
  if (lang) headers["Accept-Language"] = lang;
  let payload;
  if (body instanceof FormData) {
    payload = body;
  } else if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    payload = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(path, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, "network");
  }
  return decode(res.status, await res.text());
}

function decode(status, text) {
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (status >= 200 && status < 300) return data;
  const fields = {};
  if (data && data.data && typeof data.data === "object") {
    for (const [k, v] of Object.entries(data.data)) {
      if (v && typeof v.message === "string") fields[k] = v.message;
    }
  }
  throw new ApiError(status, (data && data.message) || "", fields);
}

/** upload sends a multipart form with progress (0..1) reported to onProgress. */
export function upload(method, path, formData, onProgress) {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open(method, path);
    const a = auth();
    if (a) xhr.setRequestHeader("Authorization", a.token);
    xhr.setRequestHeader("Accept-Language", document.documentElement.lang || "en");
    xhr.upload.onprogress = (ev) => {
      if (ev.lengthComputable && onProgress) onProgress(ev.loaded / ev.total);
    };
    xhr.onload = () => {
      try {
        resolve(decode(xhr.status, xhr.responseText));
      } catch (err) {
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, "network"));
    xhr.send(formData);
  });
}

const records = (c) => `/api/collections/${c}/records`;

/** list returns one page of a collection: {items, totalItems, page, perPage}. */
export function list(collection, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") q.set(k, v);
  return request("GET", `${records(collection)}?${q}`);
}

/** getRecord returns one record. */
export function getRecord(collection, id, params = {}) {
  const q = new URLSearchParams(params);
  return request("GET", `${records(collection)}/${encodeURIComponent(id)}?${q}`);
}

export const createRecord = (collection, data) => request("POST", records(collection), data);
export const updateRecord = (collection, id, data) => request("PATCH", `${records(collection)}/${encodeURIComponent(id)}`, data);
export const deleteRecord = (collection, id) => request("DELETE", `${records(collection)}/${encodeURIComponent(id)}`);

/** signIn signs a resident (collection "users") or staff member ("staff") in. */
export async function signIn(collection, email, password) {
  const data = await request("POST", `/api/collections/${collection}/auth-with-password`, { identity: email, password }, { auth: false });
  saveAuth(data, collection);
  return data.record;
}

/** refreshAuth renews the token and the stored record (e.g. after verifying). */
export async function refreshAuth() {
  const a = auth();
  if (!a) return null;
  const data = await request("POST", `/api/collections/${a.collection}/auth-refresh`);
  saveAuth(data, a.collection);
  return data.record;
}

/** updateStoredRecord keeps the stored signed-in record in step after a profile change. */
export function updateStoredRecord(record) {
  const a = auth();
  if (a) saveAuth({ token: a.token, record }, a.collection);
}

export const signUp = (data) => request("POST", records("users"), data, { auth: false });
export const requestVerification = (email) => request("POST", "/api/collections/users/request-verification", { email }, { auth: false });
export const confirmVerification = (token) => request("POST", "/api/collections/users/confirm-verification", { token }, { auth: false });
/** emailStatus says whether the signed-in resident's confirmation email has left, and where the office is. */
export const emailStatus = () => request("GET", "/api/townhall/account/email-status");
export const requestEmailChange = (newEmail) => request("POST", "/api/collections/users/request-email-change", { newEmail });
export const confirmEmailChange = (token, password) => request("POST", "/api/collections/users/confirm-email-change", { token, password }, { auth: false });
export const requestPasswordReset = (collection, email) => request("POST", `/api/collections/${collection}/request-password-reset`, { email }, { auth: false });
export const confirmPasswordReset = (collection, token, password) =>
  request("POST", `/api/collections/${collection}/confirm-password-reset`, { token, password, passwordConfirm: password }, { auth: false });

/** action takes an action on a request: kind "permits" or "complaints". */
export const action = (kind, id, name, body = {}) => request("POST", `/api/townhall/${kind}/${encodeURIComponent(id)}/${name}`, body);
export const availableActions = (kind, id) => request("GET", `/api/townhall/${kind}/${encodeURIComponent(id)}/actions`);

/** fileURL returns a download (or thumbnail) address for a private file. */
export async function fileURL(record, field = "file", thumb = "") {
  const { token } = await request("POST", "/api/files/token");
  const q = new URLSearchParams({ token });
  if (thumb) q.set("thumb", thumb);
  return `/api/files/${record.collectionId}/${record.id}/${encodeURIComponent(record[field])}?${q}`;
}

/**
 * subscribe listens to realtime changes of topics ("permits/ID", "complaints/*")
 * and calls onEvent({action, record}). onReady runs each time the
 * subscription is in place (first connect and every reconnect), so a page can
 * read again what may have changed while it was not listening. It returns a
 * function that stops it.
 */
export function subscribe(topics, onEvent, onReady) {
  const es = new EventSource("/api/realtime");
  let stopped = false;
  es.addEventListener("PB_CONNECT", async (ev) => {
    const { clientId } = JSON.parse(ev.data);
    try {
      await request("POST", "/api/realtime", { clientId, subscriptions: topics });
    } catch {
      return; /* the page still works without live updates */
    }
    if (onReady && !stopped) onReady();
  });
  for (const topic of topics) {
    es.addEventListener(topic, (ev) => {
      if (!stopped) onEvent(JSON.parse(ev.data));
    });
  }
  const stop = () => {
    stopped = true;
    es.close();
  };
  // free the connection when the page is left (browsers allow few per server)
  addEventListener("pagehide", stop, { once: true });
  return stop;
}

/**
 * eq builds a filter "field = 'value'" for an id or code; anything that is not
 * a plain identifier is refused, so user input never shapes the filter.
 */
export function eq(field, value) {
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(String(value))) return `${field} = '__none__'`;
  return `${field} = '${value}'`;
}

/**
 * like builds a filter "field ~ 'text'" for a search box; characters that
 * could change the filter's meaning are dropped, never passed on.
 */
export function like(field, text) {
  const clean = String(text).replace(/[^\p{L}\p{N} .@_-]/gu, "").trim().slice(0, 60);
  return clean ? `${field} ~ '${clean}'` : "";
}
