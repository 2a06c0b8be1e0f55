// map.js — the site's maps, drawn by Leaflet (vendored in /vendor/leaflet).
// Pages import this module with import() only when a map is shown (a button
// press, or its container scrolling into view), and it loads Leaflet's
// script and styles on first use: no page carries them before.
//
//   openPicker(container, {lat, lon, onPick})  a pin set by click, drag or keys
//   showPoint(container, {lat, lon, label})    one point
//   showMarkers(container, items, {cluster, popup, onView})  many points
//   bindCoordinates(latInput, lonInput, picker) keeps a form's fields and a pin together
//
// The tiles and their credit are the town's (town_settings.map_tile_url,
// map_attribution, map_attribution_url); the map opens on the county's
// boundary (town_settings.boundary), else on town_settings.map_center, else
// on the public reports. When the tiles cannot load, the map says so under
// it: every form that has a map works without it.
import { list, request } from "./api.js";
import { t } from "./i18n.js";
import { h } from "./ui.js";

const DEFAULT_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";
const DEFAULT_CREDIT = "© OpenStreetMap contributors";
const DEFAULT_CREDIT_URL = "https://www.openstreetmap.org/copyright";

const loading = new Map();

/** load adds a stylesheet or script to the page once; the promise settles when it has loaded. */
function load(kind, url) {
  if (!loading.has(url)) {
    loading.set(url, new Promise((resolve, reject) => {
      const el = kind === "css" ? h("link", { rel: "stylesheet", href: url }) : h("script", { src: url });
      el.addEventListener("load", () => resolve());
      el.addEventListener("error", () => { loading.delete(url); el.remove(); reject(new Error(t("map.no_map"))); });
      document.head.append(el);
    }));
  }
  return loading.get(url);
}

/** leaflet loads Leaflet (and the marker clusters) and returns its global L. */
export async function leaflet({ cluster = false } = {}) {
  await Promise.all([load("css", "/vendor/leaflet/leaflet.css"), load("js", "/vendor/leaflet/leaflet.js")]);
  if (cluster) {
    await Promise.all([load("css", "/vendor/leaflet.markercluster/MarkerCluster.css"),
      load("css", "/vendor/leaflet.markercluster/MarkerCluster.Default.css"),
      load("js", "/vendor/leaflet.markercluster/leaflet.markercluster.js")]);
  }
  await load("css", "/css/map.css"); // last: our colours win
  return window.L;
}

let townP;

/** town is the town's map settings, read once per page. */
function town() {
  townP ??= list("town_settings", { perPage: 1 })
    .then((r) => r.items[0] || {}).catch(() => ({}));
  return townP;
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);

/** credit is the tile server's attribution as Leaflet's control takes it (HTML, escaped here). */
function credit(s) {
  const text = escape(s.map_attribution || DEFAULT_CREDIT);
  const url = s.map_attribution ? s.map_attribution_url : DEFAULT_CREDIT_URL;
  return url && /^https?:\/\//i.test(url) ? `<a href="${escape(url)}">${text}</a>` : text;
}

/** boundsOf is the [[south, west], [north, east]] of a GeoJSON object (or its text), or null. */
export function boundsOf(geo) {
  if (typeof geo === "string") {
    try { geo = JSON.parse(geo); } catch { return null; }
  }
  if (!geo || typeof geo !== "object") return null;
  const geoms = geo.type === "FeatureCollection" ? (geo.features || []).map((f) => f && f.geometry)
    : geo.type === "Feature" ? [geo.geometry] : [geo];
  let w = 180, s = 90, e = -180, n = -90, any = false;
  const walk = (c) => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === "number" && typeof c[1] === "number") {
      const [lon, lat] = c;
      if (!valid(lat, lon)) return;
      w = Math.min(w, lon); e = Math.max(e, lon); s = Math.min(s, lat); n = Math.max(n, lat); any = true;
      return;
    }
    c.forEach(walk);
  };
  for (const g of geoms) {
    if (!g) continue;
    if (g.type === "GeometryCollection") (g.geometries || []).forEach((x) => walk(x && x.coordinates));
    else walk(g.coordinates);
  }
  return any ? [[s, w], [n, e]] : null;
}

/** valid says lat and lon are a point on the earth (and not the empty 0, 0). */
export function valid(lat, lon) {
  lat = Number(lat); lon = Number(lon);
  return Number.isFinite(lat) && Number.isFinite(lon) && Math.abs(lat) <= 90 && Math.abs(lon) <= 180 && !(lat === 0 && lon === 0);
}

/** showCounty opens the map on the county: its boundary, its map centre, or where its reports are. */
async function showCounty(map, s) {
  const b = boundsOf(s.boundary);
  if (b) return map.fitBounds(b);
  const c = s.map_center;
  if (c && valid(c.lat, c.lon)) return map.setView([c.lat, c.lon], s.map_zoom || 13);
  try {
    const res = await request("GET", "/api/townhall/public/reports/map", undefined, { auth: false });
    const pts = res.items.map((p) => [p.lat, p.lon]);
    if (pts.length) return map.fitBounds(pts, { maxZoom: 14 });
  } catch {
    /* the world view below */
  }
  map.setView([20, 0], 2);
}

/**
 * baseMap draws an empty map into container: a labelled, focusable region
 * (arrow keys move it, + and - zoom), the town's tiles and credit, and a
 * status line under it that says when the tiles cannot be loaded.
 */
async function baseMap(container, { label, cluster = false, keys = t("map.keys") }) {
  const [L, s] = await Promise.all([leaflet({ cluster }), town()]);
  const id = `map-${Math.random().toString(36).slice(2, 8)}`;
  const el = h("div", { class: "map", id, role: "region", "aria-label": label, "aria-describedby": `${id}-keys` });
  const hint = h("p", { class: "small muted map-keys", id: `${id}-keys` }, keys);
  const status = h("p", { class: "small map-status", role: "status" });
  container.replaceChildren(el, hint, status);
  const map = L.map(el, { zoomControl: false, keyboard: true });
  L.control.zoom({ zoomInTitle: t("map.zoom_in"), zoomOutTitle: t("map.zoom_out") }).addTo(map);
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  let loaded = 0;
  const noTiles = () => { if (!loaded) status.textContent = t("map.no_tiles"); };
  // tile servers (OpenStreetMap's among them) want to know which site asks:
  // its origin only, never a page's address (file tokens travel in addresses)
  const layer = L.tileLayer(s.map_tile_url || DEFAULT_TILES, { attribution: credit(s), maxZoom: 19, referrerPolicy: "strict-origin" });
  layer.on("tileload", () => { if (!loaded++ && status.textContent === t("map.no_tiles")) status.textContent = ""; });
  layer.on("tileerror", noTiles);
  layer.addTo(map);
  if (!navigator.onLine) noTiles();
  // the county's outline, when it has one (a line only: clicks go through)
  if (s.boundary && boundsOf(s.boundary)) {
    try {
      L.geoJSON(typeof s.boundary === "string" ? JSON.parse(s.boundary) : s.boundary,
        { interactive: false, style: { color: "#1b4f8a", weight: 2, fill: false, dashArray: "6 4" } }).addTo(map);
    } catch {
      /* not drawable: the map still opens on its bounds */
    }
  }
  // Leaflet's popup close button is a link without a translated name
  map.on("popupopen", (ev) => {
    const close = ev.popup.getElement() && ev.popup.getElement().querySelector(".leaflet-popup-close-button");
    if (close) { close.setAttribute("aria-label", t("map.close_popup")); close.title = t("map.close_popup"); }
  });
  return { L, map, el, status, s };
}

const round6 = (v) => Math.round(v * 1e6) / 1e6;
const wrapLon = (lon) => ((((lon + 180) % 360) + 360) % 360) - 180;

/**
 * openPicker shows a map to put a pin on: a click or a drag of the pin sets
 * the point; with the keyboard, Enter on the map puts the pin at its centre
 * and the arrow keys on the pin move it (Shift: further). onPick(lat, lon)
 * gets every new point (6 decimals). Returns {setPoint, destroy, focus}.
 */
export async function openPicker(container, { lat, lon, onPick = () => {}, label = t("map.picker_label") } = {}) {
  const { L, map, el, s } = await baseMap(container, { label, keys: t("map.picker_keys") });
  let marker = null;
  const place = (ll) => {
    if (marker) return marker.setLatLng(ll);
    marker = L.marker(ll, { draggable: true, keyboard: true, title: t("map.pin"), alt: t("map.pin"), autoPan: true }).addTo(map);
    marker.on("dragend", () => pick(marker.getLatLng()));
    marker.getElement().addEventListener("keydown", (ev) => {
      const step = { ArrowUp: [0, -1], ArrowDown: [0, 1], ArrowLeft: [-1, 0], ArrowRight: [1, 0] }[ev.key];
      if (!step || ev.altKey || ev.ctrlKey || ev.metaKey) return;
      ev.preventDefault();
      ev.stopPropagation(); // the pin moves, not the map
      const px = ev.shiftKey ? 40 : 8;
      const from = marker.getLatLng();
      const to = map.containerPointToLatLng(map.latLngToContainerPoint(from).add(L.point(step[0] * px, step[1] * px)));
      pick(L.latLng(step[1] ? to.lat : from.lat, step[0] ? to.lng : from.lng)); // one axis at a time
      map.panInside(marker.getLatLng(), { padding: [24, 24] });
    });
  };
  const pick = (ll) => {
    place(ll);
    onPick(round6(ll.lat), round6(wrapLon(ll.lng)));
  };
  map.on("click", (ev) => pick(ev.latlng));
  el.addEventListener("keydown", (ev) => {
    if (ev.target === el && (ev.key === "Enter" || ev.key === " ")) {
      ev.preventDefault();
      pick(map.getCenter());
    }
  });
  if (valid(lat, lon)) {
    map.setView([Number(lat), Number(lon)], 17);
    place([Number(lat), Number(lon)]);
  } else {
    await showCounty(map, s);
  }
  return {
    map,
    /** setPoint moves the pin (without calling onPick): the point changed elsewhere. */
    setPoint(lat, lon) {
      if (!valid(lat, lon)) return;
      place([Number(lat), Number(lon)]);
      map.setView([Number(lat), Number(lon)], Math.max(map.getZoom(), 16));
    },
    focus() { el.focus(); },
    destroy() { map.remove(); container.replaceChildren(); },
  };
}

/** showPoint shows one point, labelled, on a small map; returns {destroy}. */
export async function showPoint(container, { lat, lon, label, zoom = 17 }) {
  const { L, map } = await baseMap(container, { label: label ? t("map.point_label", { label }) : t("map.point") });
  if (valid(lat, lon)) {
    map.setView([Number(lat), Number(lon)], zoom);
    L.marker([Number(lat), Number(lon)], { keyboard: true, title: label || t("map.point"), alt: label || t("map.point") }).addTo(map);
  }
  return { map, destroy() { map.remove(); container.replaceChildren(); } };
}

/**
 * showMarkers shows many points (items of {lat, lon, label}), clustered when
 * dense; popup(item) gives a marker's popup (a Node, or a promise of one),
 * built when it opens; onView(bbox) is told "west,south,east,north" after
 * every move (debounced). Returns {setItems, destroy, map}.
 */
export async function showMarkers(container, items, { cluster = true, label = t("map.markers"), popup, onView, fit = true } = {}) {
  const { L, map, s } = await baseMap(container, { label, cluster });
  const group = cluster ? L.markerClusterGroup({
    showCoverageOnHover: false, maxClusterRadius: 50,
    iconCreateFunction: (c) => {
      const n = c.getChildCount();
      return L.divIcon({ html: `<span>${n}</span><span class="visually-hidden"> ${escape(t("map.cluster", { n }))}</span>`,
        className: `marker-cluster ${n < 10 ? "marker-cluster-small" : n < 100 ? "marker-cluster-medium" : "marker-cluster-large"}`,
        iconSize: L.point(40, 40) });
    },
  }) : L.featureGroup();
  if (cluster) {
    // Enter on a cluster opens it, as a click does
    group.on("clusterkeypress", (ev) => { if (ev.originalEvent && ev.originalEvent.key === "Enter") ev.layer.zoomToBounds(); });
  }
  map.addLayer(group);
  // a popup's content, kept by report across reloads of the points: the
  // points are read again after every move, and opening a popup can move
  // the map (to show it whole)
  const boxes = new Map();
  const keyOf = (it) => it.ref || it.id || `${it.lat},${it.lon}`;
  const setItems = (list) => {
    let openKey = null;
    group.eachLayer((l) => { if (l.isPopupOpen && l.isPopupOpen()) openKey = l.options.itemKey; });
    group.clearLayers();
    const markers = list.filter((it) => valid(it.lat, it.lon)).map((it) => {
      const key = keyOf(it);
      const m = L.marker([it.lat, it.lon], { keyboard: true, title: it.label || "", alt: it.label || t("map.point"), itemKey: key });
      if (popup) {
        // built on the first opening (Leaflet asks again on every update: the same box)
        m.bindPopup(() => {
          let box = boxes.get(key);
          if (box) return box;
          box = h("div", { class: "map-popup" }, t("loading"));
          boxes.set(key, box);
          Promise.resolve(popup(it)).then((node) => { box.replaceChildren(node); if (m.isPopupOpen()) m.getPopup().update(); })
            .catch(() => { box.textContent = t("errors.load"); boxes.delete(key); });
          return box;
        }, { maxWidth: 280 });
      }
      return m;
    });
    if (cluster) group.addLayers(markers);
    else markers.forEach((m) => group.addLayer(m));
    // the popup that was open stays open on the report's new marker
    const again = openKey && markers.find((m) => m.options.itemKey === openKey);
    if (again) {
      if (cluster) group.zoomToShowLayer(again, () => again.openPopup());
      else again.openPopup();
    }
  };
  setItems(items || []);
  if (fit && items && items.length) map.fitBounds(group.getBounds(), { maxZoom: 16, padding: [16, 16] });
  else await showCounty(map, s);
  if (onView) {
    let timer;
    const tell = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const b = map.getBounds();
        const c = (v, lo, hi) => Math.min(hi, Math.max(lo, v)).toFixed(5);
        onView([c(b.getWest(), -180, 180), c(b.getSouth(), -90, 90), c(b.getEast(), -180, 180), c(b.getNorth(), -90, 90)].join(","));
      }, 250);
    };
    map.on("moveend", tell);
    tell();
  }
  return { map, setItems, destroy() { map.remove(); container.replaceChildren(); } };
}

/**
 * bindCoordinates keeps a form's latitude and longitude fields and a picker
 * together. A point picked on the map is written to both fields (6
 * decimals) and announced to the form's own code by a "change" event on
 * each (bubbling); a change of the fields from elsewhere (typed, "use my
 * location", an address chosen) moves the pin. Returns the picker's onPick.
 */
export function bindCoordinates(latInput, lonInput, getPicker) {
  let writing = false;
  const moved = () => {
    if (writing) return;
    const p = getPicker();
    if (p) p.setPoint(latInput.value.trim(), lonInput.value.trim());
  };
  latInput.addEventListener("change", moved);
  lonInput.addEventListener("change", moved);
  return (lat, lon) => {
    latInput.value = lat.toFixed(6);
    lonInput.value = lon.toFixed(6);
    writing = true;
    try {
      latInput.dispatchEvent(new Event("change", { bubbles: true }));
      lonInput.dispatchEvent(new Event("change", { bubbles: true }));
    } finally {
      writing = false;
    }
  };
}
