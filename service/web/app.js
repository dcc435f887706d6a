// The what-if page: it stands only on the documented /v1 API (every call goes through `api`, which
// records the method and path on window.apiCalls so a test can match them against /openapi.json).
// The data's Chinese (titles, 变动 words, statuses) comes from the API's renderers, not from here.

const KEY = "huanjie.key";
const SOLVE = { top: 1, time_limit: 30 };
const RECOMMEND = { limit: 3, time_limit: 10 };
const WHY_NOT = { time_limit: 10 };
window.apiCalls = [];

const $ = (id) => document.getElementById(id);
const state = { labels: null, clauses: null, scenario: null, cadres: [], base: null, shown: null, job: null,
                seat: null, views: new Map() };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(c ?? ""));
  return node;
}

function table(attrs, header, rows) {
  // a table of a header row (texts) and body rows (tr elements): every table the page draws from data
  return el("table", attrs, el("thead", {}, el("tr", {}, ...header.map((h) => el("th", {}, h)))),
    el("tbody", {}, ...rows));
}

class ApiError extends Error {
  constructor(status, body) {
    const what = body?.errors ? body.errors.map((e) => e.message).join("; ") : body?.error;
    super(`${status}: ${what || "请求失败"}`);
    this.status = status;
    this.body = body;  // the located errors of a 422, shown by ask.js for an upload
  }
}

function send(method, path, body) {
  window.apiCalls.push({ method, path: path.split("?")[0] });
  const headers = { Authorization: `Bearer ${sessionStorage.getItem(KEY) || ""}` };
  const form = body instanceof FormData;  // a multipart upload: the browser sets its boundary
  if (body !== undefined && !form) headers["Content-Type"] = "application/json";
  return fetch(path, { method, headers, body: body === undefined || form ? body : JSON.stringify(body) });
}

async function api(method, path, body) {
  const r = await send(method, path, body);
  const data = await r.json().catch(() => null);
  if (!r.ok) throw new ApiError(r.status, data);
  return data;
}

// a job's status that carries a slate; any other status with a result ended with none (infeasible)
const hasSlate = (status) => ["OPTIMAL", "FEASIBLE"].includes(status);

// a stored time as the staff read it: "2026-12-01 21:03"
const when = (iso) => (iso || "").replace("T", " ").slice(0, 16);

function fail(e) {
  $("error").textContent = `出错了:${e.message}`;
  if (e.status === 401) signOut();
}

function show(section) {
  for (const id of ["sign-in", "start", "county"]) $(id).hidden = id !== section;
  $("sign-out").hidden = section === "sign-in";
}

// --- sign in -------------------------------------------------------------------------------------------

async function signIn(event) {
  event?.preventDefault();
  const key = $("key").value.trim() || sessionStorage.getItem(KEY);
  if (!key) return;
  sessionStorage.setItem(KEY, key);
  try {
    state.labels = await api("GET", "/v1/labels");
  } catch (e) {
    sessionStorage.removeItem(KEY);
    $("sign-in-error").textContent = e.status === 401 ? "密钥无效或已吊销。" : `无法登录:${e.message}`;
    show("sign-in");
    return;
  }
  $("sign-in-error").textContent = "";
  $("key").value = "";
  $("who").textContent = "已登录";
  await openStart();
}

function signOut() {
  sessionStorage.removeItem(KEY);
  $("who").textContent = "";
  show("sign-in");
  $("key").focus();
}

// --- start -----------------------------------------------------------------------------------------------

async function openStart() {
  show("start");
  const list = await api("GET", "/v1/scenarios?limit=50");
  const body = $("scenarios").tBodies[0];
  body.replaceChildren();
  for (const s of list.items) {
    body.append(el("tr", {},
      el("td", {}, s.name || s.id), el("td", {}, String(s.latest)), el("td", {}, when(s.created_at)),
      el("td", {}, el("button", { type: "button", onclick: () => openScenario(s.id, s.latest).catch(fail) },
        "打开"))));
  }
  $("open-demo").focus();
}

async function openDemo() {
  const v = await api("POST", "/v1/scenarios/demo");
  await openScenario(v.scenario_id, v.version);
}

async function openScenario(id, version) {
  const detail = await api("GET", `/v1/scenarios/${id}`);
  state.scenario = { id, version, name: detail.scenario.name || id };
  state.base = null;
  show("county");
  $("county-title").textContent = state.scenario.name;
  $("townships").replaceChildren();
  hideSide();
  $("history").hidden = true;
  loadCadres(id, version).catch(fail);
  const view = await solve(id, version);
  if (view) {
    state.base = { version, view };
    drawCounty(view);
    document.dispatchEvent(new CustomEvent("huanjie:opened"));  // ask.js lists the version's rules
  }
  await drawHistory();
}

// --- the history of versions, and compare any two --------------------------------------------------------

async function drawHistory() {
  const id = state.scenario.id;
  const [detail, jobs] = await Promise.all([api("GET", `/v1/scenarios/${id}`),
                                            api("GET", `/v1/jobs?scenario_id=${id}&limit=200`)]);
  const done = new Map();  // version -> its newest job with a slate (the list is newest first)
  const none = new Map();  // version -> its newest job that ended with no slate (infeasible)
  for (const j of jobs.items) {
    if (j.has_result && !done.has(j.scenario.version) && !none.has(j.scenario.version)) {
      (hasSlate(j.status) ? done : none).set(j.scenario.version, j);
    }
  }
  const body = $("history-table").tBodies[0];
  body.replaceChildren();
  const options = [];
  for (const v of [...detail.versions].sort((a, b) => a.version - b.version)) {
    const job = done.get(v.version);
    const score = job?.progress?.at(-1)?.objective;
    const empty = none.get(v.version);
    const base = v.base ? `(基于版本 ${v.base.version})` : "";
    body.append(el("tr", { "data-version": String(v.version), "data-job": job?.id || "" },
      el("td", {}, String(v.version)), el("td", {}, (v.kind === "what_if" ? "推演" : "情景") + base),
      el("td", {}, when(v.created_at)),
      el("td", { class: "score" }, score != null ? String(score)
        : empty ? state.labels.statuses[empty.status] || empty.status : "未求解"),
      el("td", {}, job ? el("button", { type: "button", class: "show-version", title: `查看版本 ${v.version} 的方案`,
                                        onclick: () => showVersion(job.id).catch(fail) }, "查看")
        : empty ? el("button", { type: "button", class: "why-version", title: `版本 ${v.version} 无方案的原因`,
                                 onclick: () => document.dispatchEvent(new CustomEvent("huanjie:no-slate",
                                                                                        { detail: empty })) }, "原因")
        : el("button", { type: "button", class: "solve-version", title: `求解版本 ${v.version}`,
                         onclick: () => solveVersion(v.version, v.name || `版本 ${v.version}`).catch(fail) },
             "求解"))));
    if (job) options.push([v.version, job.id, score]);
  }
  for (const [sel, pick] of [[$("compare-a"), 0], [$("compare-b"), options.length - 1]]) {
    sel.replaceChildren(...options.map(([v, job, score]) => el("option", { value: job },
      `版本 ${v}(得分 ${score ?? "—"})`)));
    sel.selectedIndex = Math.max(pick, 0);
  }
  $("compare").disabled = options.length < 2;
  $("history").hidden = false;
}

async function showVersion(job) {
  drawCounty(await jobView(job));
  $("diff").hidden = true;
  $("candidates").hidden = true;
}

async function compareVersions() {
  const a = $("compare-a"), b = $("compare-b");
  const [before, after] = await Promise.all([jobView(a.value), jobView(b.value)]);
  const label = (sel) => sel.selectedOptions[0].textContent.replace(/\(.*$/, "");
  drawCounty(after);
  $("candidates").hidden = true;
  $("side-hint").hidden = true;
  drawDiff(before, after, `${label(a)} → ${label(b)}`);
}

async function loadCadres(id, version) {
  // the resolved scenario's pool (a what-if applied): the names the why-not search offers
  const v = await api("GET", `/v1/scenarios/${id}/versions/${version}?resolved=true`);
  state.cadres = v.content.cadres || [];
  $("cadre-names").replaceChildren(...state.cadres.map((c) => el("option", { value: `${c.name} ${c.id}` },
    c.current_unit || "")));
}

// --- jobs ------------------------------------------------------------------------------------------------

async function solve(id, version) {
  let job = await api("POST", "/v1/jobs", { scenario_id: id, version, settings: SOLVE });
  state.job = job.id;
  $("stop-job").hidden = false;
  $("job-progress").hidden = false;
  while (!["completed", "stopped", "failed"].includes(job.state)) {
    drawJob(job);
    job = await api("GET", `/v1/jobs/${job.id}?wait=10&until=slate`);
  }
  drawJob(job);
  state.job = null;
  $("stop-job").hidden = true;
  $("job-progress").hidden = true;
  if (job.state === "failed" || !job.has_result) {
    $("job-state").textContent = `求解未成:${job.reason || job.state}`;
    return null;
  }
  if (!hasSlate(job.status)) {  // ended with no slate: report.js shows why
    $("job-state").textContent = state.labels.statuses[job.status] || job.status;
    $("job-state").dataset.state = "no-slate";
    document.dispatchEvent(new CustomEvent("huanjie:no-slate", { detail: job }));
    return null;
  }
  return jobView(job.id);
}

async function jobView(id) {
  if (!state.views.has(id)) {
    const view = await api("GET", `/v1/jobs/${id}/view`);
    view.job = id;  // the job behind the slate on screen: its reports are downloaded by this id
    state.views.set(id, view);
  }
  return state.views.get(id);
}

function drawJob(job) {
  const words = { queued: "排队中", running: "求解中", completed: "已完成", stopped: "已停止", failed: "失败" };
  const best = (job.progress || []).at(-1);
  const status = job.status ? `,${state.labels.statuses[job.status] || job.status}` : "";
  const found = best?.objective != null ? `,当前最好得分 ${best.objective}` : "";
  const gap = best?.gap != null ? `(差距 ${(100 * best.gap).toFixed(2)}%)` : "";
  $("job-state").textContent = `${words[job.state] || job.state}${status}${found}${gap}`;
  $("job-state").dataset.state = job.state;
}

async function stopJob() {
  if (state.job) await api("POST", `/v1/jobs/${state.job}/stop`);
}

// --- take it away: the report of the slate on screen ---------------------------------------------------

window.downloads = [];

function fileName(r, fallback) {
  const cd = r.headers.get("Content-Disposition") || "";
  const star = /filename\*=UTF-8''([^;]+)/i.exec(cd);
  if (star) return decodeURIComponent(star[1]);
  const plain = /filename="?([^";]+)"?/i.exec(cd);
  return plain ? plain[1] : fallback;
}

async function download(format) {
  // fetched with the key (a plain link would not send it), saved through an object URL
  const job = state.shown?.job;
  if (!job) return;
  $("download-state").textContent = "正在生成报告…";
  const r = await send("GET", `/v1/jobs/${job}/report?format=${format}`);
  const record = { format, status: r.status, size: 0 };
  window.downloads.push(record);
  if (!r.ok) {
    $("download-state").textContent = "";
    throw new ApiError(r.status, await r.json().catch(() => null));
  }
  const blob = await r.blob();
  record.size = blob.size;
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: fileName(r, `换届方案-${job}.${format}`) });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  $("download-state").textContent = `已下载 ${{ xlsx: "Excel", html: "HTML", pdf: "PDF" }[format]} 报告`;
}

// --- the county ------------------------------------------------------------------------------------------

function changeCell(code, text) {
  return el("span", { class: `change change-${code || "none"}`, "data-change": code || "" }, text);
}

function drawCounty(view) {
  state.shown = view;
  $("downloads").hidden = !view.job;
  $("download-state").textContent = "";
  const box = $("townships");
  box.replaceChildren();
  $("job-state").textContent = `${view.status_zh},得分 ${view.objective ?? "—"}`;
  $("job-state").dataset.state = "shown";
  document.dispatchEvent(new CustomEvent("huanjie:slate", { detail: view }));
  for (const t of view.townships) {
    const change = t.team.header.length - 1;
    const rows = t.team.rows.map((r) => el("tr", { "data-seat": r.seat, "data-cadre": r.cadre },
      ...r.cells.map((c, i) => el("td", {},
        i === 0 ? el("button", { type: "button", class: "seat", title: "查看候选人",
                                 onclick: () => askSeat(t, r).catch(fail) }, String(c))
          : i === change ? changeCell(r.change, String(c)) : String(c)))));
    const leavers = t.leavers.rows.length
      ? table({ class: "leavers" }, t.leavers.header,
          t.leavers.rows.map((r) => el("tr", {}, ...r.map((c) => el("td", {}, String(c))))))
      : el("p", { class: "hint" }, "无");
    box.append(el("section", { class: "township", id: `t-${t.township}`, "data-township": t.township },
      el("h3", {}, t.team.title),
      table({ class: "team" }, t.team.header, rows),
      el("h3", {}, t.leavers.title), leavers));
  }
}

function hideSide() {
  $("candidates").hidden = true;
  $("diff").hidden = true;
  $("side-hint").hidden = false;
}

// --- ask: candidates and a pin ---------------------------------------------------------------------------

function signed(n) {
  return n == null ? "—" : n > 0 ? `+${n}` : String(n);
}

async function askSeat(t, row) {
  state.seat = { t, row };
  $("why-not-answer").replaceChildren();
  for (const tr of document.querySelectorAll("tr.chosen")) tr.classList.remove("chosen");
  document.querySelector(`#t-${t.township} tr[data-seat="${row.seat}"]`)?.classList.add("chosen");
  window.timing = { clicked: performance.now() };
  $("side-hint").hidden = true;
  $("candidates").hidden = false;
  $("candidates-seat").textContent = `${t.name} ${row.cells[0]}:正在计算候选人…`;
  const body = $("candidate-table").tBodies[0];
  body.replaceChildren();
  const version = state.base.version;
  const rec = await api("POST", "/v1/recommend", { scenario_id: state.scenario.id, version,
                                                   township: t.township, seat: row.kind, ...RECOMMEND });
  $("candidates-seat").textContent = `${t.name} ${row.cells[0]}:符合条件 ${rec.eligible} 人`;
  const tried = rec.tried.some((c) => c.cadre === row.cadre) ? rec.tried
    : [{ cadre: row.cadre, name: row.cells[1], delta: 0, newly_broken: [], possible: true }, ...rec.tried];
  for (const c of tried) {
    const broken = c.newly_broken.map((r) => r.rule).join("、") || (c.possible ? "无" : "不可行");
    const holder = c.cadre === row.cadre;
    const where = `${t.name}${row.cells[0]}`;
    const ban = { cadre: c.cadre, township: t.township, seat: row.kind };
    body.append(el("tr", { "data-cadre": c.cadre, class: holder ? "candidate holder" : "candidate" },
      el("td", {}, c.name), el("td", { class: c.delta < 0 ? "delta-down" : "delta-up" }, signed(c.delta)),
      el("td", {}, broken),
      el("td", { class: "actions" },
        holder ? "现方案 "
          : c.possible ? el("button", { type: "button", class: "pin", title: `指定 ${c.name} 任${where}`,
                                       onclick: () => pin(t, row, c).catch(fail) }, "指定") : "",
        el("button", { type: "button", class: "ban", title: `不让 ${c.name} 任${where}`,
                       onclick: () => whatIf({ bans: [ban] }, `排除 ${c.name} 任${where}`).catch(fail) }, "排除"),
        el("button", { type: "button", class: "remove", title: `把 ${c.name} 移出干部名单`,
                       onclick: () => whatIf({ remove: [c.cadre] }, `${c.name} 移出干部名单`).catch(fail) },
          "移出"))));
  }
  for (const b of rec.bounded.slice(0, 5)) {
    body.append(el("tr", { "data-cadre": b.cadre, class: "bounded" },
      el("td", {}, b.name), el("td", {}, `≤ ${signed(b.delta_bound)}`), el("td", {}, "未逐一求解"), el("td", {})));
  }
  $("candidates-note").textContent = rec.proven ? "前几名的次序已证明。" : "";
  window.timing.candidates = performance.now();
}

function findCadre(text) {
  // "姓名 g0001" as the list offers it, an id, or a name the pool holds once
  const words = text.trim().split(/\s+/);
  const byId = state.cadres.find((c) => c.id === words.at(-1));
  if (byId) return byId;
  const named = state.cadres.filter((c) => c.name === text.trim());
  return named.length === 1 ? named[0] : null;
}

async function ruleClauses() {
  if (!state.clauses) {
    const rows = await api("GET", "/v1/rules");
    state.clauses = new Map(rows.map((r) => [r.id, r.clause]));
  }
  return state.clauses;
}

// a rule as the page cites it everywhere: its id as code, then its Chinese clause
const ruleText = (id, clause) => [el("code", {}, id), ` ${clause || ""}`];

function ruleItem(id, clauses, extra = "") {
  return el("li", { "data-rule": id }, ...ruleText(id, `${clauses.get(id) || ""}${extra}`));
}

function reasonItem(r, clauses, line) {
  // a rule that forbids it shows the rule's id and clause; any other reason the renderers' sentence
  if (r.code === "rule_forbids") return ruleItem(r.args.rule, clauses, "(规则禁止)");
  return el("li", { "data-code": r.code }, line);
}

async function whyNot(event) {
  event.preventDefault();
  const box = $("why-not-answer");
  const c = findCadre($("why-not-name").value);
  if (!c) {
    box.replaceChildren(el("p", { class: "error" }, "未找到该干部:请从列表中选择。"));
    return;
  }
  const { t, row } = state.seat;
  box.replaceChildren(el("p", {}, `正在计算:${c.name} 任 ${t.name}${row.cells[0]}…`));
  delete box.dataset.ready;
  const [ans, clauses] = await Promise.all([
    api("POST", "/v1/why-not", { scenario_id: state.scenario.id, version: state.base.version, cadre: c.id,
                                 township: t.township, seat: row.kind, ...WHY_NOT }),
    ruleClauses()]);
  const verdict = ans.possible
    ? `可以:${ans.name} 任 ${t.name}${row.cells[0]},得分变化 ${signed(ans.delta)}${ans.exact ? "" : "(未证明最优)"}`
    : `不可以:${ans.name} 不能任 ${t.name}${row.cells[0]}`;
  const parts = [el("p", { class: ans.possible ? "possible" : "impossible", "data-possible": String(ans.possible) },
    verdict)];
  if (ans.reasons.length) {
    const { lines } = await api("POST", "/v1/words", { scenario_id: state.scenario.id,
                                                      version: state.base.version, reasons: ans.reasons });
    parts.push(el("p", {}, ans.possible ? "说明:" : "原因:"),
      el("ul", { class: "reasons" }, ...ans.reasons.map((r, i) => reasonItem(r, clauses, lines[i]))));
  }
  if (ans.newly_broken.length) {
    parts.push(el("p", {}, "将新违反的规则:"),
      el("ul", { class: "broken" }, ...ans.newly_broken.map((r) => ruleItem(r.rule, clauses,
        r.penalty ? `(扣 ${r.penalty} 分)` : ""))));
  }
  box.replaceChildren(...parts);
  box.dataset.ready = "1";
}

async function pin(t, row, c) {
  await whatIf({ pins: [{ cadre: c.cadre, township: t.township, seat: row.kind }] },
               `${c.name} 任 ${t.name}${row.cells[0]}`);
}

async function whatIf(change, what) {
  // a change (pins, bans or remove) on the base version: a new what-if version, solved and diffed
  window.timing = { ...window.timing, pinned: performance.now(), diff: null };
  $("candidates").hidden = true;
  const base = { scenario_id: state.scenario.id, version: state.base.version };
  await storeAndSolve({ base, name: what, ...change });
}

async function storeAndSolve(body) {
  // a what-if stored as a new version of the scenario on screen, then solved and diffed under its name
  const v = await api("POST", `/v1/scenarios/${state.scenario.id}/versions`, body);
  return solveVersion(v.version, body.name);
}

async function solveVersion(version, what) {
  // a stored version solved as a job; its slate drawn and diffed against the base on screen
  const view = await solve(state.scenario.id, version);
  if (view) {
    drawCounty(view);
    if (state.base) drawDiff(state.base.view, view, what);
    window.timing = { ...window.timing, diff: performance.now() };
  }
  await drawHistory();
  return view;
}

function seatsByKind(view) {
  const out = new Map();
  for (const t of view.townships) {
    for (const r of t.team.rows) {
      const key = `${t.township}/${r.kind}`;
      if (!out.has(key)) out.set(key, { township: t, rows: [] });
      out.get(key).rows.push(r);
    }
  }
  return out;
}

function person(r) {
  return el("span", {}, `${r.cells[1]} `, changeCell(r.change, String(r.cells.at(-1))));
}

// the score by term and each rule's tally, before and after (the views carry both)
function drawDeltas(before, after) {
  const terms = new Map();
  for (const [side, view] of [["was", before], ["now", after]]) {
    for (const t of view.terms || []) {
      const x = terms.get(t.term) || { zh: t.term_zh, was: 0, now: 0 };
      x[side] = t.points;
      terms.set(t.term, x);
    }
  }
  const moved = [...terms.values()].filter((x) => x.now !== x.was);
  $("diff-terms").textContent = moved.length
    ? `得分变化:${moved.map((x) => `${x.zh} ${signed(x.now - x.was)}`).join(",")}`
    : "各项得分未变。";
  const tally = (r) => (r ? [r.held, r.broken ? `未满足${r.broken}处` : "", r.penalty ? `扣${r.penalty}分` : ""]
    .filter(Boolean).join(",") : "—");
  const was = new Map((before.rules || []).map((r) => [r.rule, r]));
  const now = new Map((after.rules || []).map((r) => [r.rule, r]));
  const body = $("diff-rules").tBodies[0];
  body.replaceChildren();
  for (const id of new Set([...was.keys(), ...now.keys()])) {
    const a = was.get(id), b = now.get(id);
    if (a && b && a.broken === b.broken && a.penalty === b.penalty) continue;  // held counts alone are noise
    body.append(el("tr", { class: "rule-delta", "data-rule": id }, el("td", {}, id),
      el("td", {}, (b || a).strength_zh), el("td", {}, tally(a)), el("td", {}, tally(b))));
  }
  $("diff-rules").hidden = !body.rows.length;
}

function drawDiff(before, after, what) {
  const a = seatsByKind(before), b = seatsByKind(after);
  const body = $("diff-table").tBodies[0];
  body.replaceChildren();
  let changed = 0;
  for (const [key, now] of b) {
    const was = a.get(key) || { rows: [] };
    const sig = (rows) => rows.map((r) => `${r.cadre}:${r.change}`).sort().join(",");
    if (sig(was.rows) === sig(now.rows)) continue;  // identical seats compared as sets
    const old = new Map(was.rows.map((r) => [r.cadre, r]));
    const keep = new Set(now.rows.filter((r) => old.get(r.cadre)?.change === r.change).map((r) => r.cadre));
    const gone = was.rows.filter((r) => !keep.has(r.cadre));
    const came = now.rows.filter((r) => !keep.has(r.cadre));
    for (let i = 0; i < Math.max(gone.length, came.length); i++) {
      changed++;
      body.append(el("tr", { class: "diff-row" }, el("td", {}, now.township.name),
        el("td", {}, String((came[i] || gone[i]).cells[0])),
        el("td", { class: "before" }, gone[i] ? person(gone[i]) : "—"),
        el("td", { class: "after" }, came[i] ? person(came[i]) : "—")));
    }
  }
  const delta = after.objective != null && before.objective != null ? after.objective - before.objective : null;
  $("diff-summary").textContent = `${what}:${changed} 个职务变化,得分 ${signed(delta)}(${before.objective} → ${after.objective})。`;
  drawDeltas(before, after);
  $("diff").hidden = false;
  $("diff").dataset.ready = "1";
}

// --- wiring ----------------------------------------------------------------------------------------------

// for report.js (charts, rule report) and ask.js (upload, township pins, rule forms); one export list, since
// a name exported twice is a SyntaxError that stops the whole module
export { $, api, el, fail, findCadre, openScenario, ruleText, signed, state, storeAndSolve, table, whatIf };

$("sign-in-form").addEventListener("submit", (e) => signIn(e).catch(fail));
$("sign-out").addEventListener("click", signOut);
$("open-demo").addEventListener("click", () => openDemo().catch(fail));
$("stop-job").addEventListener("click", () => stopJob().catch(fail));
$("back-to-start").addEventListener("click", () => openStart().catch(fail));
$("compare").addEventListener("click", () => compareVersions().catch(fail));
$("refresh-history").addEventListener("click", () => drawHistory().catch(fail));
for (const format of ["xlsx", "html", "pdf"]) {
  $(`download-${format}`).addEventListener("click", () => download(format).catch(fail));
}
$("why-not-form").addEventListener("submit", (e) => whyNot(e).catch(fail));
$("back-to-base").addEventListener("click", () => { drawCounty(state.base.view); hideSide(); });
if (sessionStorage.getItem(KEY)) signIn().catch(fail);
else show("sign-in");
