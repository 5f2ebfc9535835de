// The sequencer dashboard: polls /dashboard/stats and /dashboard/rounds every second and draws
// counters, two line charts and the committed DAG as SVG. No dependencies.
"use strict";

const SVG = "http://www.w3.org/2000/svg";
const POLL_MS = 1000;
const ROUNDS = 10;
const SERIES = 300;
let series = [];  // samples received so far (the server sends only newer ones)

function el(name, attrs, parent) {
  const node = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  if (parent) parent.appendChild(node);
  return node;
}

function text(id, value) {
  document.getElementById(id).textContent = value === null || value === undefined ? "–" : String(value);
}

function short(hex) { return hex.slice(0, 8) + "…"; }

// A line chart of `series` (objects with t_ms) for the given keys, scaled to its own maximum.
function lineChart(svg, series, keys) {
  svg.replaceChildren();
  const W = 600, H = 180, top = 10, bottom = 20, left = 40;
  const points = series.filter((s) => keys.some((k) => s[k] !== null && s[k] !== undefined));
  let max = 1;
  for (const s of points) for (const k of keys) if (s[k] > max) max = s[k];
  for (let i = 0; i <= 4; i++) {
    const y = top + (H - top - bottom) * i / 4;
    el("line", {x1: left, x2: W, y1: y, y2: y, class: "grid"}, svg);
    el("text", {x: 2, y: y + 3, class: "axis"}, svg).textContent = Math.round(max * (4 - i) / 4);
  }
  if (points.length < 2) return;
  const t0 = points[0].t_ms, t1 = points[points.length - 1].t_ms;
  const x = (t) => left + (W - left) * (t - t0) / Math.max(1, t1 - t0);
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  el("text", {x: left, y: H - 4, class: "axis"}, svg).textContent = `${Math.round((t1 - t0) / 1000)} s`;
  keys.forEach((k, n) => {
    const d = points.filter((s) => s[k] !== null && s[k] !== undefined)
      .map((s, i) => `${i ? "L" : "M"}${x(s.t_ms).toFixed(1)},${y(s[k]).toFixed(1)}`).join(" ");
    if (d) el("path", {d, class: `line${n}`}, svg);
  });
}

// The certificates of the last pre-blocks: one column per round, one row per author, edges to
// parents shown in the view, leaders ringed, colours alternating by pre-block.
function drawDag(svg, preblocks) {
  svg.replaceChildren();
  const certs = [];
  preblocks.forEach((p, n) => p.certificates.forEach((c) => certs.push({...c, preblock: p.index, n,
    leader: c.digest === p.leader.digest})));
  if (!certs.length) {
    el("text", {x: 20, y: 30, class: "axis"}, svg).textContent = "no pre-block received yet";
    return;
  }
  const rounds = [...new Set(certs.map((c) => c.round))].sort((a, b) => a - b).slice(-2 * ROUNDS);
  const shown = certs.filter((c) => c.round >= rounds[0]);
  const authors = Math.max(...shown.map((c) => c.author)) + 1;
  const W = 900, H = 220, left = 30, top = 20;
  const dx = (W - left - 20) / Math.max(1, rounds.length - 1 || 1), dy = (H - top - 20) / Math.max(1, authors - 1 || 1);
  const pos = new Map();
  for (const c of shown) pos.set(c.digest, [left + dx * rounds.indexOf(c.round), top + dy * c.author]);
  for (const c of shown) {
    const [x1, y1] = pos.get(c.digest);
    for (const p of c.parents) {
      const q = pos.get(p);
      if (q) el("line", {x1, y1, x2: q[0], y2: q[1], class: "edge"}, svg);
    }
  }
  rounds.forEach((r, i) => {
    el("text", {x: left + dx * i - 6, y: H - 4, class: "axis"}, svg).textContent = r;
  });
  for (let a = 0; a < authors; a++) el("text", {x: 2, y: top + dy * a + 3, class: "axis"}, svg).textContent = `#${a}`;
  for (const c of shown) {
    const [cx, cy] = pos.get(c.digest);
    const dot = el("circle", {cx, cy, r: c.leader ? 8 : 5, class: `cert ${c.n % 2 ? "odd" : "even"}${c.leader ? " leader" : ""}`}, svg);
    el("title", {}, dot).textContent =
      `${short(c.digest)} round ${c.round} author ${c.author}, pre-block ${c.preblock}${c.leader ? " (leader)" : ""}, ${c.batches} batches`;
  }
  document.getElementById("dag-caption").textContent =
    `rounds ${rounds[0]}–${rounds[rounds.length - 1]}, ${shown.length} certificates, leaders ringed`;
}

function drawPreblocks(preblocks) {
  const body = document.querySelector("#preblocks tbody");
  body.replaceChildren();
  for (const p of preblocks.slice().reverse()) {
    const row = body.insertRow();
    for (const [v, cls] of [[p.index], [short(p.leader.digest), "mono"], [p.leader.round], [p.leader.author],
      [p.certificates.length + p.truncated], [`${p.commit_latency_ms} ms`]]) {
      const cell = row.insertCell();
      cell.textContent = v;
      if (cls) cell.className = cls;
    }
  }
}

function drawBalances(b) {
  const box = document.getElementById("balances");
  box.replaceChildren();
  document.getElementById("balances-caption").textContent = b.updated_ms === null ? "(scanning…)" :
    `${b.scanned} of ${b.accounts} accounts scanned, ${new Date(b.updated_ms).toLocaleTimeString()}`;
  for (const a of b.assets) {
    const table = document.createElement("table");
    const head = table.createTHead().insertRow();
    const th = document.createElement("th");
    th.colSpan = 2;
    th.className = "mono";
    th.textContent = `${a.name || "asset"} ${short(a.asset)} — ${a.holders} holders, total ${a.total}`;
    head.appendChild(th);
    const body = table.createTBody();
    for (const t of a.top) {
      const row = body.insertRow();
      const owner = row.insertCell();
      owner.className = "mono";
      owner.textContent = short(t.owner);
      row.insertCell().textContent = t.amount;
    }
    box.appendChild(table);
  }
}

function showStats(stats) {
  const s = stats.latest;
  if (!s) return;
  text("v-index", s.index);
  text("v-level", s.rollup_level);
  text("v-posted", s.posted_preblocks);
  text("v-txs", s.posted_txs);
  text("v-results", s.results);
  text("v-held", s.held);
  text("v-rejections", s.rejections);
  text("v-tps", s.results_per_s);
  series = series.concat(stats.series).slice(-SERIES);
  lineChart(document.getElementById("chart-tps"), series, ["results_per_s", "ordered_per_s"]);
  lineChart(document.getElementById("chart-latency"), series, ["commit_latency_ms", "apply_latency_ms"]);
  drawBalances(stats.balances);
}

function setStatus(live, message) {
  const status = document.getElementById("status");
  status.className = `status ${live ? "live" : "stale"}`;
  status.textContent = message;
}

async function getJson(path) {
  const resp = await fetch(path, {cache: "no-store"});
  if (!resp.ok) throw new Error(`${path}: HTTP ${resp.status}`);
  return resp.json();
}

async function poll() {
  try {
    const [stats, rounds] = await Promise.all([getJson(`/dashboard/stats?since=${series.length ? series[series.length - 1].t_ms : 0}`), getJson(`/dashboard/rounds?limit=${ROUNDS}`)]);
    showStats(stats);
    drawDag(document.getElementById("dag"), rounds.preblocks);
    drawPreblocks(rounds.preblocks);
    setStatus(true, `live · ${new Date(stats.now_ms).toLocaleTimeString()}`);
  } catch (err) {
    setStatus(false, `disconnected (${err.message})`);
  }
  setTimeout(poll, POLL_MS);
}

poll();
