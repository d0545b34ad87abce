// Vanilla-JS baseline for scripts/bench.sh: loads the same Talkover pages from the
// simulator (4 at a time), builds the same index (lowercased search text, sort keys),
// sorts newest first once, filters with per-option counts and the same search
// narrowing, and renders the same windowed table. No framework, no build step.
'use strict';
const params = new URLSearchParams(location.search);
const SIM = params.get('sim');
const N = Number(params.get('n'));
const KEY = params.get('key') || 'sim-key';
const ROW_H = 32, OVERSCAN = 20, MAX_VISIBLE = 100, FULL_BELOW = 150;
const STATUSES = ['success', 'failed', 'retrying', 'pending'];

const state = { rows: [], order: [], shown: [], status: [], code: [], q: '', last: null, rawBytes: 0 };
window.bench = state;

function toDelivery(l) {
  const p = l.request_payload || {};
  const payload = JSON.stringify(p);
  const subject = String(p.call_id ?? l.webhook_id ?? '');
  const parts = ['talkover:' + l.id, subject, l.event || '', l.error || '', l.id || '', l.response_body || '', payload];
  return {
    id: 'talkover:' + l.id, status: l.status, event: l.event || 'unknown', code: l.http_status ?? null,
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
  const pass = new Uint8Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    if (!mask[i]) continue;
    const r = rows[i];
    const st = !state.status.length || state.status.includes(r.status);
    const cd = !state.code.length || state.code.some(f => codeMatches(f, r.code));
    if (cd) statusN[r.status]++;
    if (st) codeN.set(r.code, (codeN.get(r.code) || 0) + 1);
    pass[i] = st && cd ? 1 : 0;
  }
  state.shown = state.order.filter(i => pass[i]);
  renderOptions(statusN, codeN);
  const scroll = document.getElementById('table-scroll');
  scroll.scrollTop = 0;
  scroll.dataset.totalRows = String(state.shown.length);
  scroll.dataset.view = q ? 'q=' + encodeURIComponent(state.q) : '';
  const count = document.getElementById('count');
  count.dataset.count = String(state.shown.length);
  count.textContent = `${state.shown.length} of ${rows.length} deliveries`;
  render();
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
