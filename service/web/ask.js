// Three ways to ask, on the documented /v1 API like the rest of the page (app.js):
// - upload a roster (an .xlsx, or a scenario folder's three files) through POST /v1/scenarios and open it;
// - pin a cadre to a township (any seat of its team) or ban them from it: a what-if version;
// - change a rule's parameters, strength or weight, or turn it off, in a form built from the rule's
//   parameter schema (GET .../rules/{id}: JSON schema with Chinese titles, values in force): a what-if
//   version whose `rules` override holds only the keys changed (merged key by key onto the rule).
// Each what-if is solved as a job and diffed against the base by app.js's whatIf.

import { $, api, el, fail, findCadre, openScenario, ruleText, state, table, whatIf } from "./app.js";

// --- start: upload a roster --------------------------------------------------------------------------

function drawUpload() {
  const input = el("input", { id: "roster-files", type: "file", multiple: "", required: "",
                              accept: ".xlsx,.csv,.yaml,.yml,.json" });
  const form = el("form", { id: "upload-form" },
    el("label", { for: "roster-files" }, "选择文件"), " ", input, " ",
    el("button", { type: "submit", id: "upload-button" }, "上传并打开"));
  form.addEventListener("submit", (e) => upload(e).catch(uploadFailed));
  $("ask-upload").replaceChildren(
    el("h3", {}, "上传名册"),
    el("p", { class: "hint" }, "选择一个 Excel 名册(.xlsx),或情景文件夹中的三个文件"
      + "(scenario.yaml、townships.csv、cadres.csv),与命令行读取的文件相同。"),
    form, el("div", { id: "upload-state", "aria-live": "polite" }));
}

async function upload(event) {
  event.preventDefault();
  const files = [...$("roster-files").files];
  if (!files.length) return;
  const body = new FormData();
  for (const f of files) body.append("files", f, f.name);
  $("upload-state").replaceChildren(el("p", {}, `正在上传 ${files.map((f) => f.name).join("、")}…`));
  const v = await api("POST", "/v1/scenarios", body);
  $("upload-form").reset();  // back at the start, the next upload starts from no files
  $("upload-state").replaceChildren(el("p", { "data-uploaded": v.scenario_id },
    `已保存:${v.cadres} 名干部、${v.townships} 个乡镇,正在求解…`));
  await openScenario(v.scenario_id, v.version);
}

function uploadFailed(e) {
  // the API's located errors (file, row, field, value) as a table; anything else as one line
  const errors = e.body?.errors;
  if (!errors) {
    $("upload-state").replaceChildren(el("p", { class: "error" }, `上传失败:${e.message}`));
    if (e.status === 401) fail(e);
    return;
  }
  const cell = (x) => el("td", {}, x == null || x === "" ? "—" : String(x));
  $("upload-state").replaceChildren(
    el("p", { class: "error", role: "alert" }, `名册有 ${errors.length} 处错误,未保存。请改正后重新上传:`),
    table({ id: "upload-errors" }, ["文件", "行", "字段", "值", "问题"], errors.map((x) =>
      el("tr", { class: "upload-error" }, cell(x.file), cell(x.row), cell(x.field), cell(x.value),
        cell(x.message)))));
}

// --- ask: a cadre pinned to or banned from a township -----------------------------------------------------

function drawPanel() {
  const towns = state.base?.view?.townships || [];
  const pin = el("form", { id: "township-form" },
    el("label", { for: "township-cadre" }, "干部"),
    el("input", { id: "township-cadre", list: "cadre-names", autocomplete: "off", size: "16",
                  placeholder: "输入姓名查找" }),
    el("label", { for: "township-town" }, "乡镇"),
    el("select", { id: "township-town" }, ...towns.map((t) => el("option", { value: t.township }, t.name))),
    el("label", { for: "township-action" }, "操作"),
    el("select", { id: "township-action" }, el("option", { value: "pin" }, "指定进班子(任一职务)"),
      el("option", { value: "ban" }, "排除出班子")),
    el("button", { type: "submit", id: "township-button" }, "推演"));
  pin.addEventListener("submit", (e) => townshipWhatIf(e).catch(fail));
  const pick = el("select", { id: "rule-pick" }, el("option", { value: "" }, "选择规则…"));
  pick.addEventListener("change", () => openRule(pick.value).catch(fail));
  $("ask-panel").replaceChildren(
    el("section", { id: "ask-township", "aria-labelledby": "ask-township-title" },
      el("h2", { id: "ask-township-title" }, "指定或排除到乡镇"), pin,
      el("p", { id: "township-note", class: "hint", "aria-live": "polite" })),
    el("section", { id: "ask-rule", "aria-labelledby": "ask-rule-title" },
      el("h2", { id: "ask-rule-title" }, "调整规则"),
      el("p", {}, el("label", { for: "rule-pick" }, "规则 "), pick),
      el("form", { id: "rule-form", hidden: "" })));
}

async function townshipWhatIf(event) {
  event.preventDefault();
  const c = findCadre($("township-cadre").value);
  if (!c) {
    $("township-note").textContent = "未找到该干部:请从列表中选择。";
    return;
  }
  $("township-note").textContent = "";
  const town = $("township-town");
  const name = town.selectedOptions[0].textContent;
  const item = { cadre: c.id, township: town.value };
  if ($("township-action").value === "pin") await whatIf({ pins: [item] }, `${c.name} 进${name}班子`);
  else await whatIf({ bans: [item] }, `${c.name} 不进${name}班子`);
  showDiff();
}

function showDiff() {
  // the side panel scrolls: bring the answer up from the form that asked it
  if (!$("diff").hidden) $("diff").scrollIntoView({ block: "start" });
}

// --- ask: a rule's parameters, in a form built from their schema ------------------------------------------

const rulesPath = () => `/v1/scenarios/${state.scenario.id}/versions/${state.base.version}/rules`;

async function listRules() {
  const rules = await api("GET", rulesPath());
  $("rule-pick").replaceChildren(el("option", { value: "" }, "选择规则…"), ...rules.map((r) =>
    el("option", { value: r.id }, `${r.id} ${r.clause.slice(0, 24)}${r.clause.length > 24 ? "…" : ""}`
      + (r.off ? "(已停用)" : ""))));
}

function resolve(schema, root) {
  // a $ref into the root's $defs, and `anyOf [X, null]` as X that may be left empty
  let s = schema;
  while (s?.$ref) s = root.$defs[s.$ref.split("/").at(-1)];
  if (s?.anyOf) {
    const some = s.anyOf.filter((x) => x.type !== "null");
    if (some.length === 1) return { ...resolve(some[0], root), nullable: some.length < s.anyOf.length };
  }
  return s || {};
}

let fieldId = 0;

function field(name, schema, value, root) {
  // one parameter as inputs; returns { node, read } where read() gives its value from the inputs
  const s = resolve(schema, root);
  const title = schema.title || s.title || name;
  const id = `param-${++fieldId}`;
  const labels = s["x-labels"] || {};
  const label = el("label", { for: id }, title);
  if (s.enum) {
    const sel = el("select", { id, "data-param": name },
      ...(s.nullable ? [el("option", { value: "" }, "不限")] : []),
      ...s.enum.map((v) => el("option", { value: v }, labels[v] || v)));
    sel.value = value ?? "";
    return { node: el("div", { class: "param" }, label, sel), read: () => sel.value || null };
  }
  if (s.type === "boolean" && s.nullable) {
    const sel = el("select", { id, "data-param": name }, el("option", { value: "" }, "不限"),
      el("option", { value: "true" }, "是"), el("option", { value: "false" }, "否"));
    sel.value = value == null ? "" : String(value);
    return { node: el("div", { class: "param" }, label, sel), read: () => (sel.value ? sel.value === "true" : null) };
  }
  if (s.type === "boolean") {
    const box = el("input", { id, type: "checkbox", "data-param": name });
    box.checked = Boolean(value);
    return { node: el("div", { class: "param" }, box, label), read: () => box.checked };
  }
  if (s.type === "integer" || s.type === "number") {
    const attrs = { id, type: "number", "data-param": name, step: s.type === "integer" ? "1" : "any" };
    if (s.minimum != null) attrs.min = String(s.minimum);
    if (s.maximum != null) attrs.max = String(s.maximum);
    const box = el("input", attrs);
    box.value = value ?? "";
    if (s.nullable) box.placeholder = "不限";
    return { node: el("div", { class: "param" }, label, box),
             read: () => (box.value === "" ? null : Number(box.value)) };
  }
  if (s.type === "array") {
    const items = resolve(s.items || {}, root);
    if (items.enum) {  // a set of enum values: one checkbox each
      const picked = new Set(value || []);
      const boxes = items.enum.map((v) => {
        const box = el("input", { id: `${id}-${v}`, type: "checkbox", value: v, "data-param": name });
        box.checked = picked.has(v);
        return [box, el("label", { for: `${id}-${v}` }, (items["x-labels"] || {})[v] || v)];
      });
      return { node: el("fieldset", { class: "param-set" }, el("legend", {}, title),
                        ...boxes.map(([b, l]) => el("span", { class: "choice" }, b, l))),
               read: () => (value == null && !boxes.some(([b]) => b.checked) ? null
                 : boxes.filter(([b]) => b.checked).map(([b]) => b.value)) };
    }
  }
  if (s.type === "object" && s.properties && value && typeof value === "object") {
    const parts = Object.entries(s.properties).map(([k, sub]) => [k, field(k, sub, value[k], root)]);
    return { node: el("fieldset", { class: "param-set" }, el("legend", {}, title), ...parts.map(([, p]) => p.node)),
             read: () => Object.fromEntries(parts.map(([k, p]) => [k, p.read()])) };
  }
  if (s.type === "object" && s.additionalProperties && value && typeof value === "object") {
    // a mapping (parts by label, groups by name): its keys as they are, each value by the item schema
    const parts = Object.keys(value).map((k) => [k, field(k, { ...s.additionalProperties, title: k || title },
                                                          value[k], root)]);
    return { node: el("fieldset", { class: "param-set" }, el("legend", {}, title), ...parts.map(([, p]) => p.node)),
             read: () => Object.fromEntries(parts.map(([k, p]) => [k, p.read()])) };
  }
  if (s.type === "string" && !s.nullable) {
    const box = el("input", { id, type: "text", "data-param": name });
    box.value = value ?? "";
    return { node: el("div", { class: "param" }, label, box), read: () => box.value };
  }
  // anything else (a list of pairs, a number or a mapping): its JSON, edited as text
  const area = el("textarea", { id, rows: "2", cols: "32", "data-param": name, class: "json" });
  area.value = JSON.stringify(value ?? null);
  return { node: el("div", { class: "param" }, label, area), read: () => JSON.parse(area.value) };
}

function changed(before, after) {
  // the keys of `after` that differ from `before`, nested as an override's params merge them
  if (after && typeof after === "object" && !Array.isArray(after) && before && typeof before === "object"
      && !Array.isArray(before)) {
    const out = {};
    for (const [k, v] of Object.entries(after)) {
      const d = changed(before[k], v);
      if (d !== undefined) out[k] = d;
    }
    return Object.keys(out).length ? out : undefined;
  }
  return JSON.stringify(before ?? null) === JSON.stringify(after ?? null) ? undefined : after;
}

function leaves(delta, schema, root, path = []) {
  // the changed parameters' Chinese titles, for the what-if's name
  const s = resolve(schema, root);
  if (delta && typeof delta === "object" && !Array.isArray(delta)) {
    return Object.entries(delta).flatMap(([k, v]) => {
      const sub = s.properties?.[k] || s.additionalProperties || {};
      return leaves(v, sub, root, [...path, sub.title || k]);
    });
  }
  return [`${path.join("·")} 改为 ${Array.isArray(delta) ? delta.join("、") : delta ?? "不限"}`];
}

async function openRule(id) {
  const box = $("rule-form");
  if (!id) {
    box.hidden = true;
    return;
  }
  const f = await api("GET", `${rulesPath()}/${id}`);
  const root = f.params_schema;
  const params = field("params", { ...root, title: "参数" }, f.params, root);
  const strength = el("select", { id: "rule-strength" },
    ...Object.entries(f.strengths).map(([k, zh]) => el("option", { value: k }, zh)));
  strength.value = f.strength;
  const weight = el("input", { id: "rule-weight", type: "number", min: "0", step: "1", value: String(f.weight) });
  const off = el("input", { id: "rule-off", type: "checkbox" });
  off.checked = f.off;
  const note = el("p", { id: "rule-note", class: "hint", "aria-live": "polite" });
  box.replaceChildren(
    el("p", { class: "clause", "data-rule": f.id }, ...ruleText(f.id, f.clause)),
    el("div", { class: "param" }, el("label", { for: "rule-strength" }, "强度"), strength),
    el("div", { class: "param" }, el("label", { for: "rule-weight" }, "权重"), weight),
    el("div", { class: "param" }, off, el("label", { for: "rule-off" }, "停用此规则")),
    params.node,
    el("p", {}, el("button", { type: "submit", id: "rule-submit" }, "按此推演")), note);
  box.hidden = false;
  box.onsubmit = (e) => {
    e.preventDefault();
    submitRule(f, params, note).catch(fail);
  };
}

async function submitRule(f, params, note) {
  let values;
  try {
    values = params.read();
  } catch {
    note.textContent = "参数格式有误:文本框中须为 JSON。";
    return;
  }
  const override = {};
  const delta = changed(f.params, values);
  if (delta) override.params = delta;
  const strength = $("rule-strength").value, weight = Number($("rule-weight").value), off = $("rule-off").checked;
  const words = delta ? leaves(delta, f.params_schema, f.params_schema) : [];
  if (strength !== f.strength) {
    override.strength = strength;
    words.push(`强度改为${f.strengths[strength]}`);
  }
  if (weight !== f.weight) {
    override.weight = weight;
    words.push(`权重改为${weight}`);
  }
  if (off !== f.off) {
    override.off = off;
    words.push(off ? "停用" : "恢复启用");
  }
  if (!words.length) {
    note.textContent = "未作修改。";
    return;
  }
  note.textContent = "";
  await whatIf({ rules: { [f.id]: override } }, `${f.id} ${words.join(",")}`);
  showDiff();
}

// --- wiring ----------------------------------------------------------------------------------------------

// another part of the page (the rule report) opens a rule's form by its id
window.askRule = (id) => {
  $("rule-pick").value = id;
  $("ask-rule").scrollIntoView({ block: "start" });
  return openRule(id).catch(fail);
};

drawUpload();
document.addEventListener("huanjie:opened", () => {
  drawPanel();
  listRules().catch(fail);
});
