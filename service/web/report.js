// The county view beside the teams: the structure charts and the rule report (tabs over the teams),
// and, when a job ends without a slate, its minimal conflict and cheapest relaxation with a button that
// stores the relaxed what-if and solves it. Hooked to app.js by two events (huanjie:slate, huanjie:no-slate);
// every call is a documented /v1 one through app.js's `api`. The Chinese of the data (titles, clauses,
// sentences, the SVG charts) comes from the API's renderers.

import { $, api, el, fail, ruleText, state, storeAndSolve, table } from "./app.js";

const TABS = ["townships", "charts", "rules"];
// the two panels read from the job's endpoint of their name, drawn from its answer when their tab is open
const PANELS = { charts: { loading: "正在读取结构统计…", draw: drawCharts },
                 rules: { loading: "正在读取规则检查…", draw: drawRules } };
const loaded = { charts: null, rules: null };  // the job/slate each panel shows

function pick(name) {
  for (const t of TABS) {
    const on = t === name;
    $(t).hidden = !on;
    $(`tab-${t}`).setAttribute("aria-selected", String(on));
    $(`tab-${t}`).tabIndex = on ? 0 : -1;
  }
  refresh().catch(fail);
}

async function refresh() {
  const v = state.shown;
  if (!v?.job) return;
  const key = `${v.job}?slate=${v.slate}`;
  for (const [name, panel] of Object.entries(PANELS)) {
    const box = $(name);
    if (box.hidden || loaded[name] === key) continue;
    box.dataset.ready = "";
    box.replaceChildren(el("p", { class: "hint" }, panel.loading));
    box.replaceChildren(...panel.draw(await api("GET", `/v1/jobs/${v.job}/${name}?slate=${v.slate}`)));
    loaded[name] = key;
    box.dataset.ready = "1";
  }
}

// --- 结构统计: the small charts, as the API draws them -----------------------------------------------------

function drawCharts({ charts }) {
  const groups = new Map();
  for (const c of charts) {
    if (!groups.has(c.group)) groups.set(c.group, []);
    const fig = el("figure", { class: "small-chart", "data-key": c.key, tabindex: "0", "aria-label": c.title });
    fig.innerHTML = c.svg;  // the server's renderer escapes every text it puts in the SVG
    groups.get(c.group).push(fig);
  }
  return [...groups].flatMap(([group, figs]) => [el("h3", {}, group), el("div", { class: "chart-grid" }, ...figs)]);
}

// --- 规则检查: the rule report, each row opening what binds it ---------------------------------------------

function bindingTable(row) {
  if (!row.binding.length) return el("p", { class: "hint" }, "无适用的检查。");
  const body = row.binding.map((b) => el("tr", { class: b.holds ? (b.tight ? "tight" : "holds") : "broken",
                                                 "data-key": b.key },
    el("td", {}, b.place), el("td", {}, b.seat_title || "—"), el("td", {}, b.name || "—"), el("td", {}, b.text),
    el("td", { class: "margin" }, b.margin_text), el("td", {}, b.penalty ? `-${b.penalty}` : "")));
  const parts = [table({ class: "binding" }, ["地点", "职务", "人选", "情况", "余量", "扣分"], body)];
  if (row.more) parts.push(el("p", { class: "hint" }, `另有 ${row.more} 处符合且留有余量,未列出。`));
  return el("div", {}, ...parts);
}

function toggle(button, detail) {
  const open = button.getAttribute("aria-expanded") !== "true";
  button.setAttribute("aria-expanded", String(open));
  detail.hidden = !open;
  if (open) detail.scrollIntoView({ block: "nearest" });
}

function drawRules({ rows }) {
  const body = [];
  for (const r of rows) {
    const id = `bind-${r.rule.replace(/[^A-Za-z0-9-]/g, "_")}`;
    const detail = el("tr", { class: "binding-row", id, hidden: "" }, el("td", { colspan: "5" }, bindingTable(r)));
    const button = el("button", { type: "button", class: "rule-open", "aria-expanded": "false", "aria-controls": id,
                                  title: "查看约束情况" }, r.rule);
    button.addEventListener("click", () => toggle(button, detail));
    // the rule's form (ask.js) changes its parameters or strength as a what-if
    const adjust = el("button", { type: "button", class: "rule-adjust", title: "调整此规则的参数或强度" }, "调整");
    adjust.addEventListener("click", () => window.askRule?.(r.rule));
    const kind = r.broken ? "broken" : r.tight ? "tight" : "holds";
    const note = r.broken ? `未满足 ${r.broken} 处` : r.tight ? `恰好满足 ${r.tight} 处` : "";
    body.push(el("tr", { class: `rule ${kind}`, "data-rule": r.rule },
      el("td", {}, button, " ", adjust), el("td", {}, r.strength_zh), el("td", {}, r.held),
      el("td", { class: "status" }, [note, r.penalty ? `扣 ${r.penalty} 分` : ""].filter(Boolean).join(",")),
      el("td", { class: "clause" }, r.clause)), detail);
  }
  return [table({ class: "rule-report" }, ["规则", "强度", "符合", "约束", "内容"], body)];
}

// --- no slate: the conflict, the cheapest relaxation and its button ------------------------------------

function ruleRefs(rules) {
  return rules.map((r) => el("span", { class: "rule-ref", "data-rule": r.id }, ...ruleText(r.id, r.clause)));
}

async function showConflict(job) {
  const box = $("conflict");
  box.dataset.ready = "";
  $("side-hint").hidden = true;
  $("diff").hidden = true;
  $("candidates").hidden = true;
  box.hidden = false;
  box.replaceChildren(el("h2", { id: "conflict-title" }, "正在分析原因…"));
  const why = await api("GET", `/v1/jobs/${job.id}/conflict`);
  const reasons = why.reasons.map((r) => el("li", { "data-code": r.code }, r.text,
    ...(r.rules.length ? [el("div", { class: "hint" }, ...ruleRefs(r.rules))] : [])));
  const changes = why.relaxations.map((x) => el("li", { "data-rule": x.change.rule }, x.text,
    x.clause ? el("div", { class: "hint" }, ...ruleText(x.change.rule, x.clause)) : ""));
  const parts = [el("h2", { id: "conflict-title" }, `${why.status_zh}(版本 ${job.scenario.version})`),
                 el("p", {}, why.minimal ? "以下条件不能同时满足(最小冲突集):" : "原因:"),
                 el("ul", { class: "reasons" }, ...reasons)];
  if (changes.length) {
    parts.push(el("h3", {}, "最小放宽方案(以下改动一并应用)"), el("ol", { class: "relaxations" }, ...changes));
  }
  if (why.apply) {
    parts.push(el("p", {}, el("button", { type: "button", id: "apply-relaxation",
                                          onclick: () => applyRelaxation(why.apply).catch(fail) },
                              "应用放宽方案并求解")));
  } else if (why.apply_note) {
    parts.push(el("p", { class: "hint" }, why.apply_note));
  }
  box.replaceChildren(...parts);
  box.dataset.ready = "1";
  $("apply-relaxation")?.focus();
}

async function applyRelaxation(body) {
  // the relaxed what-if stored as a new version, solved as a job (progress and stop as any job), diffed
  window.timing = { ...window.timing, relaxClicked: performance.now(), relaxShown: null, diff: null };
  $("apply-relaxation").disabled = true;
  const view = await storeAndSolve(body);
  if (view) {
    $("conflict").hidden = true;
    window.timing.relaxShown = performance.now();
  } else {
    $("apply-relaxation").disabled = false;
  }
}

// --- wiring ------------------------------------------------------------------------------------------------

for (const t of TABS) $(`tab-${t}`).addEventListener("click", () => pick(t));
$("views").addEventListener("keydown", (e) => {  // arrow keys move between the tabs
  const i = TABS.findIndex((t) => $(`tab-${t}`) === document.activeElement);
  if (i < 0 || !["ArrowLeft", "ArrowRight"].includes(e.key)) return;
  const next = TABS[(i + (e.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
  pick(next);
  $(`tab-${next}`).focus();
});
document.addEventListener("huanjie:slate", () => {
  $("conflict").hidden = true;
  refresh().catch(fail);
});
document.addEventListener("huanjie:no-slate", (e) => showConflict(e.detail).catch(fail));
