// insights.js — the director's figures: filters, summary cards, a table per
// figure with its CSV, the trends in words, targets, open work, comments,
// and a printable council report (one page per department).
import { auth, request, list, createRecord } from "../api.js";
import { $, h, formatDate, showApiError, clearErrors } from "../ui.js";
import { initStaff } from "./console.js";
import { chartFigures, drawCharts, drawChartSets, monthlyRows } from "./charts.js";

const me = initStaff();
const API = "/api/townhall/staff/insights";
const FILTERS = ["period", "from", "to", "department", "channel"];
let catalogue = { departments: [], categories: [], types: [] };

const fmt = (v, unit = "") => (v === null || v === undefined ? "—" : `${Number(v).toLocaleString("en-US")}${unit}`);
const pct = (v) => fmt(v, " %");

/** query is the API query of the form's filters (service becomes category or type). */
function query(form, extra = {}) {
  const p = new URLSearchParams();
  for (const k of FILTERS) if (form[k].value) p.set(k, form[k].value);
  const service = form.service.value;
  if (service) p.set(service.startsWith("c:") ? "category" : "type", service.slice(2));
  for (const [k, v] of Object.entries(extra)) if (v) p.set(k, v);
  return p;
}

function table(caption, name, header, rows, params) {
  const csv = h("button", { class: "button secondary export", type: "button", onclick: () => download(name, params) }, `Download ${caption.toLowerCase()} as CSV`);
  return h("div", {},
    // on a phone the table scrolls sideways: the keyboard must reach it too
    h("div", { class: "table-wrap", tabindex: "0", role: "region", "aria-label": caption }, h("table", {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, header.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, rows.length ? rows.map((r) => h("tr", {}, r.map((c, i) => (i === 0 ? h("th", { scope: "row" }, c) : h("td", {}, c)))))
        : h("tr", {}, h("td", { colspan: header.length }, "Nothing in this period."))))),
    csv);
}

/** download fetches one table's CSV with the sign-in and saves it under the server's name. */
async function download(name, params) {
  const p = new URLSearchParams(params);
  p.set("table", name);
  const a = auth();
  const res = await fetch(`${API}/export?${p}`, { headers: a ? { Authorization: a.token } : {} });
  if (!res.ok) return status(`The CSV could not be made (${res.status}).`, true);
  const file = (/filename="([^"]+)"/.exec(res.headers.get("Content-Disposition") || "") || [])[1] || `insights-${name}.csv`;
  const link = h("a", { href: URL.createObjectURL(await res.blob()), download: file });
  document.body.append(link);
  link.click();
  link.remove();
}

function status(msg, error = false) {
  $("#status").replaceChildren(h("p", { class: error ? "notice error" : "muted" }, msg));
}

function arrow(change) {
  if (!change || change.arrow === "flat" || change.percent === null) return "";
  const sign = change.arrow === "up" ? "▲" : "▼";
  const good = change.better === null ? "" : change.better ? "-good" : "-bad";
  return h("span", { class: `arrow trend-${change.arrow}${good}` }, ` ${sign} ${Math.abs(change.percent)} %`);
}

/** change is a comparison in short, for the council report: "+12 %", "no change", "no figure". */
function change(c) {
  if (c.percent === null || c.percent === undefined) return c.value === null ? "no figure to compare" : `from ${fmt(c.value)}`;
  if (c.arrow === "flat") return "no change";
  return `${c.arrow === "up" ? "+" : "−"}${Math.abs(c.percent)} % (from ${fmt(c.value)})`;
}

const CARDS = ["received", "online_share", "resolve_median", "resolve_on_time", "county_median", "satisfaction", "response_rate", "abandoned"];

function cards(trends) {
  const by = Object.fromEntries(trends.map((t) => [t.key, t]));
  return h("ul", { class: "cards" }, CARDS.filter((k) => by[k]).map((k) => {
    const t = by[k];
    const unit = t.unit === "%" ? " %" : t.unit ? ` ${t.unit}` : "";
    return h("li", {}, h("span", { class: "label" }, t.label), h("span", { class: "value" }, fmt(t.value, unit)),
      h("span", { class: "muted versus" }, "vs previous period:"), arrow(t.changes[0]));
  }));
}

function name(map, id, empty = "—") { return id ? map[id] || id : empty; }

/** pageAbout says what a page answered about is. */
function pageAbout(p, n) {
  if (p.kind === "help") return "Help page";
  if (p.kind === "permit") return `Permit: ${name(n.services, p.service, "unknown")}`;
  if (p.kind === "report") return `Problem: ${name(n.services, p.service, "unknown")}`;
  return "—";
}

/** pagesSection shows the answers to "Was this page helpful?" (the site's own satisfaction). */
function pagesSection(ans, params) {
  const pf = ans.pages;
  if (!pf) return null;
  const n = ans.names;
  return h("section", { class: "pages-feedback" }, h("h2", {}, "Was this page helpful? (the site's own pages)"),
    h("p", {}, pf.sentence),
    table("Answers per page", "pages", ["Page", "About", "Helpful: yes", "Helpful: no", "Helpful"],
      pf.pages.map((p) => [p.page, pageAbout(p, n), p.yes, p.no, pct(p.helpful_share)])
        .concat(pf.pages.length ? [["All pages", "", pf.totals.yes, pf.totals.no, pct(pf.totals.helpful_share)]] : []), params),
    table("Comments on the pages, newest first (staff only)", "page_comments", ["Date", "Page", "Helpful", "Language", "Comment"],
      pf.comments.map((x) => [formatDate(x.at), pageAbout(x, n), x.helpful ? "Yes" : "No", x.language === "es" ? "Spanish" : "English", x.comment]), params));
}

/** report draws one scope's figures (the page, or one page of the council report). */
function report(ans, params, { compact = false } = {}) {
  const c = ans.current;
  const n = ans.names;
  const w = ans.period.current;
  const to = new Date(new Date(w.to).getTime() - 1);
  const title = `${formatDate(w.from)} – ${formatDate(to.toISOString())}`;
  const parts = [
    h("p", { class: "muted" }, `Period: ${title}. `, ans.scope.Department ? `Department: ${name(n.departments, ans.scope.Department)}.` : "All departments."),
    cards(ans.trends),
    compact ? h("section", { class: "monthly" }, h("h3", {}, "Month by month"), chartFigures()) : null,
    h("section", {}, h("h2", {}, "Trends"), h("ul", {}, ans.trends.map((t) => h("li", {}, t.changes[0].sentence, " ",
      h("span", { class: "muted" }, compact ? `Last year: ${change(t.changes[1])}.` : `Against last year: ${t.changes[1].sentence}`))))),
    h("section", {}, h("h2", {}, "Targets"), ans.targets.length ? h("ul", {}, ans.targets.map((p) => h("li", {},
      h("span", { class: p.met ? "target-met" : "target-risk" }, p.met ? "Met: " : "At risk: "), p.sentence,
      p.progress !== null ? ` (${p.progress} % of the way from the baseline)` : ""))) : h("p", {}, "No targets are set for this scope."),
    compact || me.role !== "director" ? null : targetForm(ans)),
  ];
  if (compact) return parts.filter(Boolean);
  const r = c.response;
  const perm = [c.permits.all, ...(c.permits.by_type || [])];
  parts.push(
    h("section", { class: "monthly" }, h("h2", {}, "Month by month"),
      h("p", { class: "muted" }, "The key figures of each month, counted as the rest of the page counts them; the table below the charts has the same numbers."),
      chartFigures(),
      table("Month by month", "monthly", ["Month", "Received", "Closed", "Median to resolve (business hours)", "Resolved on time",
        "Average satisfaction (of 5)", "Median county time (days)"], monthlyRows(ans.series || [], fmt), params)),
    h("section", {}, h("h2", {}, "Volume"),
      table("Volume", "volume", ["Requests", "Received", "Closed", "Open at period end"], [
        ["Problem reports", c.volume.reports.received, c.volume.reports.closed, c.volume.reports.open_at_end],
        ["Permit applications", c.volume.permits.received, c.volume.permits.closed, c.volume.permits.open_at_end],
        ["All", c.volume.received, c.volume.closed, c.volume.open_at_end]], params),
      table("Channels", "channels", ["Channel", "Received", "Share"], (c.volume.by_channel || []).map((x) => [x.channel, x.received, pct(x.share)]), params)),
    h("section", {}, h("h2", {}, "Response times (business hours)"),
      table("Response times", "response", ["Figure", "Value", "Counted"], [
        ["Median to acknowledge", fmt(r.acknowledge_hours.median), r.acknowledge_hours.n],
        ["90th percentile to acknowledge", fmt(r.acknowledge_hours.p90), r.acknowledge_hours.n],
        ["Median to resolve", fmt(r.resolve_hours.median), r.resolve_hours.n],
        ["90th percentile to resolve", fmt(r.resolve_hours.p90), r.resolve_hours.n],
        ["Acknowledged on time", pct(r.ack_on_time), r.ack_counted],
        ["Resolved on time", pct(r.resolve_on_time), r.resolve_counted],
        ["Overdue now", r.overdue_now, ""],
        ["Escalations to level 1 / 2 / 3", r.escalations.join(" / "), ""]], params)),
    h("section", {}, h("h2", {}, "Permits (calendar days)"),
      table("Permit decisions", "permits", ["Permit type", "Decided", "Approval rate", "Median county", "90th pct county", "Median applicant", "Within turnaround"],
        perm.map((p) => [name(n.services, p.type, "All types"), p.decided, pct(p.approval_rate), fmt(p.county_days.median), fmt(p.county_days.p90),
          fmt(p.applicant_days.median), pct(p.within_turnaround)]), params)),
    h("section", {}, h("h2", {}, "Satisfaction"),
      table("Ratings", "satisfaction", ["Rating", "Ratings"], [5, 4, 3, 2, 1].map((i) => [`${i} of 5`, c.satisfaction.distribution[i - 1]])
        .concat([["Average", fmt(c.satisfaction.average)], ["Rated 4 or 5", pct(c.satisfaction.top2)], ["Closed requests rated", pct(c.satisfaction.response_rate)]]), params)),
    h("section", {}, h("h2", {}, "Completion"),
      table("Completion funnel", "funnel", ["Permit type", "Started", "Submitted", "Decided", "Issued", "Abandoned", "Stopped at form / documents / ready"],
        c.funnel.map((f) => [name(n.services, f.type, "All types"), f.started, f.submitted, f.decided, f.issued, f.abandoned,
          `${f.stopped_at.answers || 0} / ${f.stopped_at.documents || 0} / ${f.stopped_at.ready || 0}`]), params)),
    h("section", {}, h("h2", {}, "Quality"),
      table("Quality", "quality", ["Figure", "Of", "Count", "Share"], [
        ["Resolved reports reopened", c.quality.resolved, c.quality.reopened, pct(c.quality.reopen_rate)],
        ["Reports that were duplicates", c.quality.reports, c.quality.duplicates, pct(c.quality.duplicate_rate)],
        ...c.quality.changes_requested.map((x) => [`Sent back for changes: ${name(n.services, x.type, "all types")}`, x.submitted, x.changed, pct(x.share)])], params)),
    h("section", {}, h("h2", {}, "Open work now (longest waiting first)"),
      table("Per assignee", "workload_assignees", ["Assignee", "Open", "Overdue", "Oldest since"],
        ans.workload.by_assignee.map((l) => [name(n.staff, l.id, "Unassigned"), l.open, l.overdue, formatDate(l.oldest_at)]), params),
      table("Per department", "workload_departments", ["Department", "Open", "Overdue", "Oldest since"],
        ans.workload.by_department.map((l) => [name(n.departments, l.id), l.open, l.overdue, formatDate(l.oldest_at)]), params)),
    h("section", {}, h("h2", {}, "Comments from ratings (staff only)"),
      h("form", { class: "toolbar no-print", onsubmit: (ev) => { ev.preventDefault(); load({ q: ev.target.q.value }); } },
        h("div", { class: "field" }, h("label", { for: "q" }, "Search the comments"), h("input", { id: "q", name: "q", type: "search", value: params.get("q") || "" })),
        h("button", { class: "button", type: "submit" }, "Search")),
      table("Comments, newest first", "comments", ["Date", "Rating", "Department", "Category or type", "Comment"],
        ans.comments.map((x) => [formatDate(x.at), x.rating, name(n.departments, x.department), name(n.services, x.service), x.comment]), params)),
    pagesSection(ans, params));
  return parts.filter(Boolean);
}

/** targetForm lets a director set a target: a goal value, or a change in % against a baseline year. */
function targetForm(ans) {
  const field = (id, label, input) => h("div", { class: "field" }, h("label", { for: id }, label), input);
  const form = h("form", { class: "no-print", id: "target-form", novalidate: true, onsubmit: async (ev) => {
    ev.preventDefault();
    clearErrors(form);
    const f = form.elements;
    const data = { metric: f.metric.value, department: f.target_department.value, comparison: f.comparison.value };
    if (f.change_percent.value) Object.assign(data, { change_percent: Number(f.change_percent.value), baseline_year: Number(f.baseline_year.value) });
    else data.value = Number(f.value.value);
    try {
      await createRecord("targets", data);
      load();
    } catch (err) {
      showApiError(form, err);
    }
  } },
  h("h3", {}, "Set a target"),
  field("metric", "Figure", h("select", { id: "metric", name: "metric" }, ans.trends.map((t) => h("option", { value: t.key }, t.label)))),
  field("target_department", "Department", h("select", { id: "target_department", name: "target_department" }, h("option", { value: "" }, "The whole county"),
    catalogue.departments.map((d) => h("option", { value: d.id }, d.name)))),
  field("comparison", "The figure should be", h("select", { id: "comparison", name: "comparison" },
    h("option", { value: "" }, "whichever is better for it"), h("option", { value: "at_least" }, "at least the goal"), h("option", { value: "at_most" }, "at most the goal"))),
  field("value", "Goal (for example 4.3, or 90 for 90 %)", h("input", { id: "value", name: "value", type: "number", step: "any" })),
  field("change_percent", "Or a change in % (for example -20)", h("input", { id: "change_percent", name: "change_percent", type: "number", step: "any" })),
  field("baseline_year", "against the year", h("input", { id: "baseline_year", name: "baseline_year", type: "number", min: "2000", max: "2100" })),
  h("button", { class: "button", type: "submit" }, "Save the target"));
  return form;
}

async function load(extra = {}) {
  const form = $("#filters");
  document.body.classList.remove("council-report");
  const params = query(form, extra);
  history.replaceState(null, "", `?${params}`);
  status("Loading…");
  try {
    const ans = await request("GET", `${API}?${params}`);
    $("#report").replaceChildren(...report(ans, params));
    drawCharts($("#report"), ans.series);
    status(`Figures as of ${new Date(ans.now).toLocaleString("en-US")}.`);
  } catch (err) {
    status(err.message || "The figures could not be loaded.", true);
  }
}

/**
 * councilReport prints the monthly council report: the figures of the
 * period for the whole scope, then (for a director looking at every
 * department) one page per department — summary, charts, the trends in
 * words and the targets. The print stylesheet leaves the console out.
 */
async function councilReport() {
  const form = $("#filters");
  const depts = me.role === "director" && !form.department.value ? catalogue.departments.filter((d) => d.active) : [];
  status("Preparing the council report…");
  try {
    const scopes = [null, ...depts];
    const answers = await Promise.all(scopes.map((d) => request("GET", `${API}?${query(form, d ? { department: d.id } : {})}`)));
    const sections = answers.map((ans, i) => {
      const d = scopes[i];
      const whole = ans.scope.Department ? name(ans.names.departments, ans.scope.Department) : "The whole county";
      const parts = report(ans, query(form), { compact: true });
      if (!d && ans.pages) parts.push(h("section", {}, h("h2", {}, "Was this page helpful?"), h("p", {}, ans.pages.sentence)));
      return h("section", { class: "department-report" }, h("h2", {}, `Council report: ${d ? d.name : whole}`), ...parts);
    });
    $("#report").replaceChildren(...sections);
    document.body.classList.add("council-report");
    drawChartSets(sections.map((sec, i) => [sec, answers[i].series]));
    await new Promise((done) => requestAnimationFrame(() => done()));
    status("The council report is ready; choose “Show” to go back to the figures.");
    window.print();
  } catch (err) {
    status(err.message || "The council report could not be prepared.", true);
  }
}

async function start() {
  if (!me) return;
  const form = $("#filters");
  const url = new URLSearchParams(location.search);
  try {
    const [d, c, t] = await Promise.all([list("departments", { perPage: 200, sort: "name" }), list("complaint_categories", { perPage: 200, sort: "name_en" }),
      list("permit_types", { perPage: 200, sort: "name_en" })]);
    catalogue = { departments: d.items, categories: c.items, types: t.items };
  } catch { /* the filters stay short; the figures still load */ }
  const mine = me.role === "director" ? catalogue.departments : catalogue.departments.filter((x) => x.id === me.department);
  form.department.append(...mine.map((x) => h("option", { value: x.id }, x.name)));
  form.service.append(
    h("optgroup", { label: "Problem categories" }, catalogue.categories.map((x) => h("option", { value: `c:${x.id}` }, x.name_en))),
    h("optgroup", { label: "Permit types" }, catalogue.types.map((x) => h("option", { value: `t:${x.id}` }, x.name_en))));
  for (const k of FILTERS) if (url.get(k)) form[k].value = url.get(k);
  if (url.get("category")) form.service.value = `c:${url.get("category")}`;
  if (url.get("type")) form.service.value = `t:${url.get("type")}`;
  form.addEventListener("submit", (ev) => { ev.preventDefault(); load(); });
  $("#print").addEventListener("click", councilReport);
  load({ q: url.get("q") });
}

start();
