// The Bolmo chat page: streams replies from POST /chat/stream (server-sent events in a fetch body, so the request can
// carry the settings and be aborted: aborting closes the connection, which cancels the generation on the server),
// keeps one conversation id per browser tab (the server remembers the turns), and draws the model's patches from the
// per-byte boundary data the server streams with the text. No build step, no libraries.
'use strict';

const $ = (id) => document.getElementById(id);
const form = $('form'), input = $('message'), send = $('send'), stop = $('stop'), log = $('log'), status = $('status');

// ---- conversation: one id per tab (sessionStorage is per tab), forgotten by "New conversation"
function newId() {
  return (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + '-' + Math.random().toString(16).slice(2))
    .replace(/[^A-Za-z0-9_-]/g, '');
}
let conversationId = sessionStorage.getItem('bolmo-conversation') || newId();
sessionStorage.setItem('bolmo-conversation', conversationId);
document.body.dataset.conversation = conversationId;

$('new-conversation').addEventListener('click', () => {
  if (controller) controller.abort();
  fetch('/chat/conversations/' + encodeURIComponent(conversationId), { method: 'DELETE' }).catch(() => {});
  conversationId = newId();
  sessionStorage.setItem('bolmo-conversation', conversationId);
  document.body.dataset.conversation = conversationId;
  log.textContent = '';
  $('patch-view').textContent = '';
  $('patch-prompt').textContent = '';
  $('patch-summary').textContent = '';
  status.textContent = 'new conversation';
  input.focus();
});

// ---- settings: empty = the service's default, shown as the placeholder
const SETTINGS = [['temperature', 'temperature', Number], ['top-p', 'topP', Number], ['max-bytes', 'maxTokens', Number],
  ['boundary-bias', 'boundaryBias', Number], ['repetition-penalty', 'repetitionPenalty', Number], ['seed', 'seed', Number]];
fetch('/chat/defaults').then((r) => r.ok ? r.json() : {}).then((d) => {
  for (const [id, key] of SETTINGS) if (d[key] !== undefined && d[key] !== null) $(id).placeholder = String(d[key]);
  if (d.maxTokensLimit) $('max-bytes').max = d.maxTokensLimit;
}).catch(() => {});

function settings() {
  const body = {};
  for (const [id, key, parse] of SETTINGS) {
    const v = $(id).value.trim();
    if (v !== '') body[key] = parse(v);
  }
  const stops = $('stop-sequences').value.split('\n').filter((s) => s.length > 0);
  if (stops.length) body.stop = stops;
  return body;
}

// ---- the patch view
let reply = null;   // {bytes, ends, p} of the last reply, growing while it streams
let prompt = null;  // the prompt's, from the done event

function renderPatches(container, data) {
  container.textContent = '';
  if (!data || data.bytes.length === 0) return 0;
  const decoder = new TextDecoder('utf-8');
  let patch = null, patches = 0, pending = [];
  const open = () => {
    patch = document.createElement('span');
    patch.className = 'patch' + (patches % 2 ? ' alt' : '');
    patch.dataset.bytes = '';
    container.appendChild(patch);
  };
  for (let i = 0; i < data.bytes.length; i++) {
    if (!patch) open();
    const b = data.bytes[i];
    patch.dataset.bytes += (patch.dataset.bytes ? ' ' : '') + b;
    pending.push(i);
    const text = decoder.decode(Uint8Array.of(b), { stream: true });
    if (text) { // a whole character (or U+FFFD): one hover target with its bytes' probabilities
      const ch = document.createElement('span');
      ch.className = 'ch';
      ch.textContent = text;
      ch.title = pending.map((j) => 'byte 0x' + data.bytes[j].toString(16).padStart(2, '0') + ': P(ends a patch) = '
        + data.p[j].toFixed(3) + (data.ends[j] ? ' (ends one)' : '')).join('\n');
      if (pending.some((j) => data.p[j] >= 0.5)) ch.dataset.pHigh = '';
      patch.appendChild(ch);
      pending = [];
    }
    if (data.ends[i]) {
      patch.classList.add('ended');
      patch = null;
      patches++;
    }
  }
  if (patch) { patch.classList.add('open'); patches++; }
  return patches;
}

function patchCount(data) {
  const ended = data.ends.filter((x) => x).length;
  return ended + (data.ends.length && !data.ends[data.ends.length - 1] ? 1 : 0);
}

function drawPatchView() {
  const n = renderPatches($('patch-view'), reply);
  const showPrompt = $('show-prompt').checked && prompt;
  $('patch-prompt').hidden = !showPrompt;
  if (showPrompt) renderPatches($('patch-prompt'), prompt);
  $('patch-summary').textContent = reply && reply.bytes.length
    ? reply.bytes.length + ' bytes in ' + n + ' patches (' + (reply.bytes.length / n).toFixed(2) + ' bytes per patch)' : '';
}
$('show-prompt').addEventListener('change', drawPatchView);

// ---- sending and streaming
let controller = null;

function line(cls, text) {
  const div = document.createElement('div');
  div.className = cls;
  div.textContent = text;
  log.appendChild(div);
  return div;
}

function setBusy(busy) {
  send.disabled = busy;
  stop.disabled = !busy;
}

// Server-sent events from a fetch body: events end with a blank line; "event:" names it, "data:" lines carry JSON.
async function* events(response) {
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buffer.search(/\r?\n\r?\n/)) >= 0) {
      const raw = buffer.slice(0, cut);
      buffer = buffer.slice(cut).replace(/^\r?\n\r?\n/, '');
      let name = 'message', data = [];
      for (const l of raw.split(/\r?\n/)) {
        if (l.startsWith('event:')) name = l.slice(6).trim();
        else if (l.startsWith('data:')) data.push(l.slice(5).replace(/^ /, ''));
      }
      if (data.length) yield { name, data: JSON.parse(data.join('\n')) };
    }
  }
}

form.addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (!text || controller) return;
  input.value = '';
  line('user', 'You: ' + text);
  const answer = line('assistant answer', '');
  answer.dataset.pieces = '0';
  const stats = line('stats', '');
  reply = { bytes: [], ends: [], p: [] };
  prompt = null;
  drawPatchView();
  setBusy(true);
  status.textContent = 'streaming';
  controller = new AbortController();
  const started = performance.now();
  let first = null, usage = null, finish = null;
  const showStats = () => {
    const end = performance.now();
    // the reply's own patches as the model reported them (the open one at the end included), as the patch view shows
    const bytes = usage ? usage.generatedBytes : reply.bytes.length;
    const patches = reply.bytes.length ? patchCount(reply) : (usage ? usage.patches : 0);
    const seconds = first === null ? 0 : (end - first) / 1000;
    stats.textContent = (first === null ? 'no text' : 'first byte after ' + Math.round(first - started) + ' ms')
      + ' · ' + (seconds > 0 ? Math.round(bytes / seconds) : '–') + ' bytes/s · ' + bytes + ' bytes · '
      + patches + ' patches · ' + (patches ? (bytes / patches).toFixed(2) : '–') + ' bytes per patch'
      + (finish ? ' · ' + finish.toLowerCase() : '');
    stats.dataset.bytes = String(bytes);
    stats.dataset.patches = String(patches);
  };
  try {
    const body = Object.assign({ message: text, conversationId, boundaries: true }, settings());
    const response = await fetch('/chat/stream', {
      method: 'POST', signal: controller.signal,
      headers: { 'Content-Type': 'application/json', 'Accept': 'text/event-stream, application/json' }, body: JSON.stringify(body)
    });
    if (!response.ok) {
      let msg = 'the service answered ' + response.status;
      // OpenAI's error body, as JSON or (since this request prefers events) as one event's data
      try { msg = JSON.parse((await response.text()).replace(/^data:/gm, '')).error.message; } catch (ignored) { /* keep */ }
      throw new Error(msg);
    }
    for await (const ev of events(response)) {
      if (ev.name === 'piece') {
        if (first === null) first = performance.now();
        answer.textContent += ev.data.text;
        answer.dataset.pieces = String(Number(answer.dataset.pieces) + 1);
        const b = ev.data.boundaries;
        if (b) { reply.bytes.push(...b.bytes); reply.ends.push(...b.ends); reply.p.push(...b.p); }
        drawPatchView();
        showStats();
      } else if (ev.name === 'done') {
        usage = ev.data.usage;
        finish = ev.data.finishReason;
        prompt = ev.data.prompt || null;
      } else if (ev.name === 'error') {
        throw new Error(ev.data.message);
      }
    }
    status.textContent = 'done';
  } catch (err) {
    if (err.name === 'AbortError') {
      status.textContent = 'stopped';
      finish = 'stopped';
    } else {
      line('error', err.message || String(err));
      status.textContent = 'error';
    }
  } finally {
    controller = null;
    setBusy(false);
    showStats();
    drawPatchView();
    input.focus();
  }
});

stop.addEventListener('click', () => { if (controller) controller.abort(); });
document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && controller) controller.abort(); });
