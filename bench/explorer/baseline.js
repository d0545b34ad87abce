// Vanilla-JS baseline for scripts/bench.sh: loads the same Talkover pages from the
// simulator (page 1, then 4 at a time), builds the same index (lowercased search text,
// sort keys), sorts newest first once, filters with per-option counts (status, event,
// HTTP code, vendor) and the same search narrowing, draws the same overview of the
// filtered rows (success rate, p50/p95 latency, failures by code, deliveries over time in
// at most 48 bars stacked by status) and renders the same windowed table. No framework,
// no build step. It does not diagnose causes (the console's "by cause" counts).
'use strict';
const params = new URLSearchParams(location.search);
const SIM = params.get('sim');
const N = Number(params.get('n'));
const KEY = params.get('key') || 'sim-key';
const ROW_H = 32, OVERSCAN = 10, MAX_VISIBLE = 100, FULL_BELOW = 150;
const STATUSES = ['success', 'failed', 'retrying', 'pending'];

const state = { rows: [], order: [], shown: [], status: [], code: [], event: [], vendor: [], q: '', last: null, rawBytes: 0 };
window.bench = state;

function toDelivery(l) {
  const p = l.request_payload || {};
  const payload = JSON.stringify(p);
  const subject = String(p.call_id ?? l.webhook_id ?? '');
  const parts = ['talkover:' + l.id, subject, l.event || '', l.error || '', l.id || '', l.response_body || '', payload];
  return {
    id: 'talkover:' + l.id, vendor: 'talkover', status: l.status, event: l.event || 'unknown', code: l.http_status ?? null,
    time: Date.parse(l.created_at), latency: l.duration_ms ?? null, attempts: 1, subject,
    target: '', text: parts.join('\n').toLowerCase(), payload: p,
  };
}

async function load() {
  // As the console does: page 1 first (it says how many pages there are), then the rest,
  // 4 at a time.
  const per = 100;
  const url = p => `${SIM}/api/v1/agents/agt_demo_scale/webhooks/wh_demo_scale_${N}/logs?per_page=${per}&page=${p}`;
  const get = async p => {
    const r = await fetch(url(p), { headers: { authorization: `Bearer ${KEY}` } });
    if (!r.ok) throw new Error(`page ${p}: HTTP ${r.status}`);
    const body = await r.text();
    state.rawBytes += body.length;
    return JSON.parse(body);
  };
  const first = await get(1);
  const pages = Math.max(1, Number(first.pagination && first.pagination.last_page) || Math.ceil(N / per));
  const byPage = new Array(pages);
  byPage[0] = first.data.map(toDelivery);
  let next = 2;
  const worker = async () => {
    while (next <= pages) { const p = next++; byPage[p - 1] = (await get(p)).data.map(toDelivery); }
  };
  await Promise.all([worker(), worker(), worker(), worker()]);
  state.rows = byPage.flat();
  state.order = state.rows.map((_, i) => i).sort((a, b) => state.rows[b].time - state.rows[a].time || a - b);
}

function codeMatches(f, c) {
  if (f === 'none') return c === null;
  if (f.endsWith('xx')) return c !== null && Math.floor(c / 100) === Number(f[0]);
  return c === Number(f);
}

function searchMask(q) {
  const rows = state.rows, last = state.last;
  if (last && last.q === q) return last.mask;
  let mask;
  if (last && last.q && q.includes(last.q)) mask = last.mask.map((m, i) => m && rows[i].text.includes(q));
  else if (!q) mask = rows.map(() => true);
  else mask = rows.map(r => r.text.includes(q));
  state.last = { q, mask };
  return mask;
}

function applyFilters() {
  const rows = state.rows, q = state.q.trim().toLowerCase(), mask = searchMask(q);
  const statusN = { success: 0, failed: 0, retrying: 0, pending: 0 }, codeN = new Map();
  const eventN = new Map(), vendorN = new Map();
  const pass = new Uint8Array(rows.length);
  // Each filter's counts are over the rows every other filter lets through.
  for (let i = 0; i < rows.length; i++) {
    if (!mask[i]) continue;
    const r = rows[i];
    const st = !state.status.length || state.status.includes(r.status);
    const cd = !state.code.length || state.code.some(f => codeMatches(f, r.code));
    const ev = !state.event.length || state.event.includes(r.event);
    const vd = !state.vendor.length || state.vendor.includes(r.vendor);
    if (cd && ev && vd) statusN[r.status]++;
    if (st && ev && vd) codeN.set(r.code, (codeN.get(r.code) || 0) + 1);
    if (st && cd && vd) eventN.set(r.event, (eventN.get(r.event) || 0) + 1);
    if (st && cd && ev) vendorN.set(r.vendor, (vendorN.get(r.vendor) || 0) + 1);
    pass[i] = st && cd && ev && vd ? 1 : 0;
  }
  state.shown = state.order.filter(i => pass[i]);
  renderOptions(statusN, codeN);
  renderNamed('event', eventN);
  renderNamed('vendor', vendorN);
  renderOverview();
  const scroll = document.getElementById('table-scroll');
  scroll.scrollTop = 0;
  scroll.dataset.totalRows = String(state.shown.length);
  scroll.dataset.view = q ? 'q=' + encodeURIComponent(state.q) : '';
  const count = document.getElementById('count');
  count.dataset.count = String(state.shown.length);
  count.textContent = `${state.shown.length} of ${rows.length} deliveries`;
  render();
}

function renderNamed(id, counts) {
  const sel = document.getElementById(id);
  sel.textContent = '';
  for (const [k, n] of [...counts].sort((a, b) => String(a[0]).localeCompare(String(b[0]))))
    sel.add(new Option(`${k} · ${n}`, k, false, state[id].includes(k)));
}

const BUCKET_WIDTHS = [60, 300, 900, 1800, 3600, 3 * 3600, 6 * 3600, 12 * 3600, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 30 * 86400, 365 * 86400];
const percentile = (sorted, p) => sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * p / 100) - 1)] : null;

// The overview of the filtered rows, in one pass as the console's: by status, success
// rate, p50/p95 latency, failures by HTTP code, and the bars over time.
function renderOverview() {
  const rows = state.rows, shown = state.shown;
  const by = { success: 0, failed: 0, retrying: 0, pending: 0 };
  const lat = new Float64Array(shown.length);
  let nLat = 0, min = Infinity, max = -Infinity;
  const failCodes = new Map();
  for (const i of shown) {
    const r = rows[i];
    by[r.status]++;
    if (r.latency !== null) lat[nLat++] = r.latency;
    if (r.status === 'failed' || r.status === 'retrying') failCodes.set(r.code, (failCodes.get(r.code) || 0) + 1);
    const t = Math.floor(r.time / 1000);
    if (!Number.isFinite(t)) continue;
    if (t < min) min = t;
    if (t > max) max = t;
  }
  const sorted = lat.subarray(0, nLat).sort();
  const tried = by.success + by.failed + by.retrying;
  const rate = tried ? (by.success * 100 / tried).toFixed(1) + '%' : '—';
  const p50 = percentile(sorted, 50), p95 = percentile(sorted, 95);
  const codes = [...failCodes].sort((a, b) => b[1] - a[1] || (a[0] ?? -1) - (b[0] ?? -1));
  const fig = document.getElementById('figures');
  fig.textContent = `${STATUSES.map(s => `${s} ${by[s]}`).join(' · ')} · success ${rate} · p50 ${p50 ?? '—'} ms · p95 ${p95 ?? '—'} ms · failures by code: ${codes.map(([c, n]) => `${c ?? 'none'} ${n}`).join(', ') || 'none'}`;
  // Bars: the smallest round width that fits the span in 48, aligned to whole units.
  const chart = document.getElementById('chart');
  const bars = document.createDocumentFragment();
  if (shown.length && isFinite(min)) {
    const width = BUCKET_WIDTHS.find(w => Math.floor(max / w) - Math.floor(min / w) + 1 <= 48) || BUCKET_WIDTHS[BUCKET_WIDTHS.length - 1];
    const first = Math.floor(min / width), n = Math.floor(max / width) - first + 1;
    const counts = Array.from({ length: n }, () => [0, 0, 0, 0]);
    for (const i of shown) {
      const r = rows[i];
      if (!Number.isFinite(r.time)) continue;
      counts[Math.floor(Math.floor(r.time / 1000) / width) - first][STATUSES.indexOf(r.status)]++;
    }
    const top = Math.max(1, ...counts.map(c => c[0] + c[1] + c[2] + c[3]));
    for (let b = 0; b < n; b++) {
      const bar = document.createElement('div');
      bar.className = 'bar';
      bar.title = `${new Date((first + b) * width * 1000).toISOString()}: ${counts[b].reduce((x, y) => x + y, 0)}`;
      for (let k = 0; k < 4; k++) {
        if (!counts[b][k]) continue;
        const seg = document.createElement('div');
        seg.className = 'seg seg--' + STATUSES[k];
        seg.style.height = `${counts[b][k] * 60 / top}px`;
        bar.appendChild(seg);
      }
      bars.appendChild(bar);
    }
  }
  chart.replaceChildren(bars);
}

function renderOptions(statusN, codeN) {
  const s = document.getElementById('status');
  s.textContent = '';
  for (const st of STATUSES) s.add(new Option(`${st} · ${statusN[st]}`, st, false, state.status.includes(st)));
  const c = document.getElementById('code');
  c.textContent = '';
  const classes = new Map();
  for (const [code, n] of codeN) {
    const k = code === null ? 'none' : `${Math.floor(code / 100)}xx`;
    classes.set(k, (classes.get(k) || 0) + n);
  }
  for (const [k, n] of classes) c.add(new Option(`${k} · ${n}`, k, false, state.code.includes(k)));
  for (const [code, n] of [...codeN].filter(([k]) => k !== null).sort((a, b) => a[0] - b[0]))
    c.add(new Option(`${code} · ${n}`, String(code), false, state.code.includes(String(code))));
}

function cell(tr, text, title) {
  const td = document.createElement('td');
  td.textContent = text;
  if (title) td.title = title;
  tr.appendChild(td);
}

function relative(t) {
  const s = Math.round((Date.now() - t) / 1000);
  if (s < 10) return 'just now';
  if (s < 60) return `${s} s ago`;
  if (s < 3600) return `${Math.floor(s / 60)} min ago`;
  if (s < 86400) return `${Math.floor(s / 3600)} h ago`;
  return `${Math.floor(s / 86400)} d ago`;
}

let shownRange = [-1, -1];
function render(force = true) {
  const scroll = document.getElementById('table-scroll');
  const n = state.shown.length;
  let a = 0, b = n;
  if (n > FULL_BELOW) {
    const first = Math.floor(scroll.scrollTop / ROW_H);
    const visible = Math.min(MAX_VISIBLE, Math.max(1, Math.ceil(scroll.clientHeight / ROW_H)));
    a = Math.min(Math.max(0, first - OVERSCAN), n);
    b = Math.min(first + visible + OVERSCAN, n);
  }
  if (!force && a === shownRange[0] && b === shownRange[1]) return;
  shownRange = [a, b];
  const body = document.getElementById('body');
  const frag = document.createDocumentFragment();
  const top = document.createElement('tr');
  top.style.height = `${a * ROW_H}px`;
  frag.appendChild(top);
  for (let i = a; i < b; i++) {
    const r = state.rows[state.shown[i]];
    const tr = document.createElement('tr');
    tr.className = 'row';
    tr.dataset.id = r.id;
    tr.dataset.status = r.status;
    cell(tr, r.status);
    cell(tr, r.event);
    cell(tr, r.subject, r.subject);
    cell(tr, r.code === null ? '—' : String(r.code));
    cell(tr, String(r.attempts));
    cell(tr, r.latency === null ? '—' : `${r.latency} ms`);
    cell(tr, relative(r.time), new Date(r.time).toISOString());
    cell(tr, r.target || '—');
    frag.appendChild(tr);
  }
  const bottom = document.createElement('tr');
  bottom.style.height = `${(n - b) * ROW_H}px`;
  frag.appendChild(bottom);
  body.replaceChildren(frag);
}

const picked = sel => Array.from(sel.selectedOptions).map(o => o.value);
document.getElementById('status').addEventListener('change', e => { state.status = picked(e.target); applyFilters(); });
document.getElementById('code').addEventListener('change', e => { state.code = picked(e.target); applyFilters(); });
document.getElementById('event').addEventListener('change', e => { state.event = picked(e.target); applyFilters(); });
document.getElementById('vendor').addEventListener('change', e => { state.vendor = picked(e.target); applyFilters(); });
let timer = null;
const search = document.getElementById('search');
search.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => { state.q = search.value; applyFilters(); }, 150);
});
search.addEventListener('keydown', e => {
  if (e.key === 'Enter') { clearTimeout(timer); state.q = search.value; applyFilters(); }
});
document.getElementById('table-scroll').addEventListener('scroll', () => render(false));

// `?start=click`: the load waits for the "Load" button (the benchmark starts it as it
// starts the console's lookup, to time both from the same moment); otherwise at once.
const start = () => load().then(
  () => { applyFilters(); document.body.dataset.ready = '1'; },
  e => { document.body.dataset.error = String(e); },
);
const loadButton = document.getElementById('load');
if (params.get('start') === 'click') loadButton.addEventListener('click', start, { once: true });
else { loadButton.disabled = true; start(); }
