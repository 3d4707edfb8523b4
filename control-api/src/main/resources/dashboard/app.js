// Vigil dashboard: plain JS against the public REST API and the WebSocket, no build step.
// The API key comes from the URL fragment (#key=…, never sent to the server) or the key form, and is
// kept in this browser's localStorage.
'use strict';

const FEED_LENGTH = 30;
const STREAM_POLL_MS = 3000;
const FRAME_POLL_MS = 2000;
const TIMELINE_MS = 10 * 60 * 1000;
const CLIP_PADDING_S = 5;
const state = { key: null, collection: null, streams: [], indexes: new Map(), frameUrls: new Map(), alerts: 0,
  marks: new Map(), hls: null };

const $ = (selector) => document.querySelector(selector);

function showError(message) {
  $('#error').textContent = message || '';
}

async function api(method, path, body) {
  const response = await fetch(path, {
    method,
    headers: Object.assign({ 'x-access-token': state.key, 'Accept': 'application/json' },
      body ? { 'Content-Type': 'application/json' } : {}),
    body: body ? JSON.stringify(body) : undefined,
  });
  let json = null;
  try { json = await response.json(); } catch (e) { /* not JSON */ }
  if (!response.ok || !json || json.success !== true) {
    const message = (json && json.message) || (method + ' ' + path + ': HTTP ' + response.status);
    const error = new Error(message);
    error.status = response.status;
    throw error;
  }
  return json.data;
}

function time(ms) {
  const t = document.createElement('time');
  const date = new Date(ms);
  t.dateTime = date.toISOString();
  t.textContent = date.toLocaleTimeString();
  return t;
}

function prepend(list, item) {
  list.prepend(item);
  while (list.children.length > FEED_LENGTH) {
    list.lastElementChild.remove();
  }
}

function feedItem(ms, text, streamName) {
  const li = document.createElement('li');
  li.append(time(ms), document.createTextNode((streamName ? streamName + ': ' : '') + text));
  return li;
}

// ---- streams ---------------------------------------------------------------------------------

async function refreshStreams() {
  try {
    const data = await api('GET', '/rtstream');
    state.streams = data.results || [];
    for (const stream of state.streams) {
      const listed = await api('GET', '/rtstream/' + encodeURIComponent(stream.id) + '/index/scene');
      state.indexes.set(stream.id, listed.scene_indexes || []);
    }
    renderStreams();
    renderIndexChoices();
    showError('');
  } catch (e) {
    handleFailure(e);
  }
}

function renderStreams() {
  const box = $('#streams');
  if (state.streams.length === 0) {
    box.innerHTML = '<p class="muted">No stream yet — add one below.</p>';
    return;
  }
  box.querySelector('p.muted')?.remove();
  const seen = new Set();
  for (const stream of state.streams) {
    seen.add(stream.id);
    let card = box.querySelector('.stream[data-id="' + CSS.escape(stream.id) + '"]');
    if (!card) {
      card = document.createElement('div');
      card.className = 'stream';
      card.dataset.id = stream.id;
      card.innerHTML = '<img alt="latest frame"><div><div class="name"></div><div class="status"></div>'
        + '<div class="url muted small"></div><div class="indexes muted"></div>'
        + '<button class="live" hidden>live</button> <button class="recent" hidden>last 30 s</button></div>'
        + '<div class="timeline" title="last 10 minutes"></div>';
      card.querySelector('.recent').addEventListener('click', () => {
        const now = Date.now() / 1000;
        playRange(stream.id, now - 30, now, (stream.name || stream.id) + ': last 30 s', null);
      });
      card.querySelector('.live').addEventListener('click', () => playLive(stream.id, (stream.name || stream.id) + ': live'));
      box.append(card);
    }
    card.querySelector('.recent').hidden = !stream.store;
    card.querySelector('.live').hidden = !stream.store;
    renderTimeline(card, stream);
    card.querySelector('.name').textContent = stream.name || stream.id;
    const status = card.querySelector('.status');
    status.textContent = stream.status;
    status.className = 'status ' + stream.status;
    card.querySelector('.url').textContent = stream.url || '';
    const indexes = state.indexes.get(stream.id) || [];
    card.querySelector('.indexes').textContent = indexes.length + ' index(es): '
      + indexes.map((i) => (i.name || i.extraction_type) + ' (' + i.status + ')').join(', ');
  }
  for (const card of box.querySelectorAll('.stream')) {
    if (!seen.has(card.dataset.id)) card.remove();
  }
}

async function refreshFrames() {
  for (const stream of state.streams) {
    try {
      const response = await fetch('/rtstream/' + encodeURIComponent(stream.id) + '/frame',
        { headers: { 'x-access-token': state.key }, cache: 'no-store' });
      if (!response.ok) continue;
      const url = URL.createObjectURL(await response.blob());
      const img = document.querySelector('.stream[data-id="' + CSS.escape(stream.id) + '"] img');
      if (!img) { URL.revokeObjectURL(url); continue; }
      img.src = url;
      img.dataset.captureTs = response.headers.get('X-Vigil-Capture-Ts') || '';
      const old = state.frameUrls.get(stream.id);
      if (old) URL.revokeObjectURL(old);
      state.frameUrls.set(stream.id, url);
    } catch (e) { /* next round */ }
  }
}

// ---- playback: clips, snapshots, timelines ------------------------------------------------------

/**
 * The live view: a live HLS playlist of the stream's newest recorded segments, which hls.js polls. It starts one
 * segment from the live edge and catches up when it falls three behind: as low a latency as whole recorded
 * segments allow.
 */
async function playLive(rtstreamId, title) {
  try {
    const data = await api('GET', '/rtstream/' + encodeURIComponent(rtstreamId) + '/live');
    showClip(data.stream_url, title, null, { liveSyncDurationCount: 1, liveMaxLatencyDurationCount: 3 });
  } catch (e) {
    $('#clip-title').textContent = title;
    $('#clip-status').textContent = e.message;
  }
}

function showClip(streamUrl, title, snapshotUrl, hlsOptions) {
  const video = $('#clip');
  $('#clip-title').textContent = title;
  $('#clip-status').textContent = '';
  const snapshot = $('#snapshot');
  snapshot.hidden = !snapshotUrl;
  if (snapshotUrl) snapshot.src = snapshotUrl;
  if (state.hls) { state.hls.destroy(); state.hls = null; }
  if (window.Hls && window.Hls.isSupported()) {
    state.hls = new window.Hls(Object.assign({ enableWorker: false }, hlsOptions || {}));
    state.hls.on(window.Hls.Events.ERROR, (event, data) => {
      if (data && data.fatal) $('#clip-status').textContent = 'Playback failed: ' + data.details;
    });
    state.hls.loadSource(streamUrl);
    state.hls.attachMedia(video);
  } else {
    video.src = streamUrl;
  }
  video.play().catch(() => {});
}

async function playRange(rtstreamId, startS, endS, title, snapshotUrl) {
  try {
    const data = await api('GET', '/rtstream/' + encodeURIComponent(rtstreamId) + '/stream?start=' + startS.toFixed(3)
      + '&end=' + endS.toFixed(3));
    showClip(data.stream_url, title, snapshotUrl);
  } catch (e) {
    $('#clip-title').textContent = title;
    $('#clip-status').textContent = e.message;
  }
}

/** Remembers an alert or index record of a stream for its timeline (the last 10 minutes). */
function mark(rtstreamId, kind, ms, text, clip) {
  if (!rtstreamId || !ms) return;
  const marks = state.marks.get(rtstreamId) || [];
  marks.push({ kind, ms, text, clip });
  const since = Date.now() - TIMELINE_MS;
  state.marks.set(rtstreamId, marks.filter((m) => m.ms >= since).slice(-300));
  const card = document.querySelector('.stream[data-id="' + CSS.escape(rtstreamId) + '"]');
  const stream = state.streams.find((s) => s.id === rtstreamId);
  if (card && stream) renderTimeline(card, stream);
}

function renderTimeline(card, stream) {
  const line = card.querySelector('.timeline');
  const now = Date.now();
  line.replaceChildren(...(state.marks.get(stream.id) || []).map((m) => {
    const dot = document.createElement('button');
    dot.className = 'mark ' + m.kind;
    dot.style.left = Math.max(0, Math.min(100, 100 - (now - m.ms) / TIMELINE_MS * 100)) + '%';
    dot.title = new Date(m.ms).toLocaleTimeString() + ' ' + m.kind + ': ' + m.text;
    dot.addEventListener('click', () => {
      const title = (stream.name || stream.id) + ' · ' + m.kind + ' · ' + new Date(m.ms).toLocaleTimeString();
      if (m.clip && m.clip.stream_url) {
        showClip(m.clip.stream_url, title, m.clip.snapshot_url);
      } else if (stream.store) {
        playRange(stream.id, m.ms / 1000 - CLIP_PADDING_S, m.ms / 1000 + CLIP_PADDING_S, title, null);
      }
    });
    return dot;
  }));
}

// ---- live feed -------------------------------------------------------------------------------

let socketRetry = 1000;

async function connectSocket() {
  let url;
  try {
    url = (await api('GET', '/collection/' + encodeURIComponent(state.collection) + '/websocket')).websocket_url;
  } catch (e) {
    handleFailure(e);
    setTimeout(connectSocket, socketRetry);
    return;
  }
  const socket = new WebSocket(url);
  socket.onmessage = (message) => onFrame(socket, JSON.parse(message.data));
  socket.onclose = () => {
    $('#socket').textContent = 'offline';
    $('#socket').classList.remove('online');
    socketRetry = Math.min(socketRetry * 2, 15000);
    setTimeout(connectSocket, socketRetry);
  };
}

function onFrame(socket, frame) {
  if (frame.channel === 'system') {
    if (frame.type === 'connected') {
      socketRetry = 1000;
      $('#socket').textContent = 'live · ' + frame.connection_id;
      $('#socket').classList.add('online');
      // Every channel of every stream of the collection.
      socket.send(JSON.stringify({ action: 'subscribe', channels: ['transcript', 'scene_index', 'audio_index', 'alert'] }));
    }
    return;
  }
  const data = frame.data || {};
  const name = frame.rtstream_name;
  switch (frame.channel) {
    case 'transcript':
      if (data.is_final !== false) {
        prepend($('#transcripts'), feedItem(data.start, data.text, name));
        mark(frame.rtstream_id, 'transcript', data.start, data.text);
      }
      break;
    case 'scene_index':
      prepend($('#scenes'), feedItem(data.start, data.text, name));
      mark(frame.rtstream_id, 'scene', data.start, data.text);
      break;
    case 'audio_index':
      prepend($('#sounds'), feedItem(data.start, data.text + (data.labels ? ' [' + data.labels.join(', ') + ']' : ''), name));
      mark(frame.rtstream_id, 'audio', data.start, data.text);
      break;
    case 'alert': {
      const li = feedItem(data.timestamp || data.start, ' ' + (data.text || ''), name);
      const label = document.createElement('strong');
      label.textContent = data.label || 'alert';
      li.insertBefore(label, li.childNodes[1]);
      if (data.stream_url) {
        // A recorded stream's alert carries its clip and snapshot (signed links): a click plays it.
        li.classList.add('playable');
        li.title = 'Play the clip';
        li.addEventListener('click', () => showClip(data.stream_url, (name || '') + ' · ' + (data.label || 'alert'),
          data.snapshot_url));
      }
      mark(frame.rtstream_id, 'alert', data.start, data.label || 'alert', data);
      prepend($('#alerts'), li);
      state.alerts += 1;
      $('#alert-count').textContent = String(state.alerts);
      break;
    }
    default:
      break;
  }
}

async function refreshWebhooks() {
  try {
    const response = await fetch('/demo/webhooks', { cache: 'no-store' });
    if (!response.ok) return;
    const data = (await response.json()).data;
    $('#webhook-count').textContent = data.verified + ' verified, ' + data.rejected + ' rejected';
    const list = $('#webhooks');
    list.replaceChildren(...data.webhooks.slice(0, FEED_LENGTH).map((w) =>
      feedItem(w.received_at, (w.payload.label || '') + ': ' + ((w.payload.data && w.payload.data.text) || '')
        + ' (' + w.webhook_id + ')')));
  } catch (e) { /* no demo receiver */ }
}

// ---- forms -----------------------------------------------------------------------------------

async function loadEvents() {
  const events = (await api('GET', '/rtstream/event')).events || [];
  const select = $('#alert-form select[name=event_id]');
  select.replaceChildren(...events.map((e) => new Option(e.label + ' — ' + e.event_prompt, e.event_id)));
}

function renderIndexChoices() {
  const select = $('#alert-form select[name=index]');
  const current = select.value;
  const options = [];
  for (const stream of state.streams) {
    for (const index of state.indexes.get(stream.id) || []) {
      options.push(new Option((stream.name || stream.id) + ' / ' + (index.name || index.extraction_type),
        stream.id + '/' + index.rtstream_index_id));
    }
  }
  select.replaceChildren(...options);
  if (current) select.value = current;
}

function onSubmit(form, action) {
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const result = $('#form-result');
    try {
      result.textContent = await action(new FormData(form));
      result.className = 'muted';
      form.reset();
      await refreshStreams();
      await loadEvents();
    } catch (e) {
      result.textContent = e.message;
      result.className = 'error';
    }
  });
}

function wireForms() {
  onSubmit($('#stream-form'), async (f) => {
    const media = ['video', 'audio'].filter((m) => f.get(m));
    const data = await api('POST', '/rtstream', { collection_id: state.collection, name: f.get('name'), url: f.get('url'),
      media_types: media, store: Boolean(f.get('store')) });
    return 'Stream ' + data.id + ' added.';
  });
  onSubmit($('#event-form'), async (f) => {
    const body = { event_prompt: f.get('event_prompt'), label: f.get('label') };
    if (f.get('condition')) body.condition = f.get('condition');
    const data = await api('POST', '/rtstream/event', body);
    return 'Event ' + data.event_id + ' added: ' + (data.condition || '');
  });
  onSubmit($('#alert-form'), async (f) => {
    const [rid, iid] = String(f.get('index')).split('/');
    const body = { event_id: f.get('event_id'), callback_url: f.get('callback_url') || null };
    if (f.get('cooldown_s')) body.cooldown_s = Number(f.get('cooldown_s'));
    const data = await api('POST', '/rtstream/' + encodeURIComponent(rid) + '/index/' + encodeURIComponent(iid) + '/alert', body);
    return 'Alert ' + data.alert_id + ' added' + (data.webhook_secret ? '; webhook secret (shown once): ' + data.webhook_secret : '.');
  });
}

// ---- start -----------------------------------------------------------------------------------

function handleFailure(e) {
  if (e.status === 401) {
    localStorage.removeItem('vigil.key');
    askForKey('That API key was refused.');
  } else {
    showError(e.message);
  }
}

function askForKey(message) {
  $('#key-form').hidden = false;
  showError(message || 'Enter an API key (printed by vigil standalone / vigil demo).');
}

async function start(key) {
  state.key = key;
  try {
    const collection = await api('GET', '/collection/default');
    state.collection = collection.id;
  } catch (e) {
    handleFailure(e);
    return;
  }
  localStorage.setItem('vigil.key', key);
  $('#key-form').hidden = true;
  $('#collection').textContent = 'collection ' + state.collection;
  showError('');
  wireForms();
  await refreshStreams();
  await loadEvents().catch(handleFailure);
  connectSocket();
  setInterval(refreshStreams, STREAM_POLL_MS);
  setInterval(refreshFrames, FRAME_POLL_MS);
  setInterval(refreshWebhooks, FRAME_POLL_MS);
  refreshFrames();
  refreshWebhooks();
}

document.addEventListener('DOMContentLoaded', () => {
  $('#key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    start($('#key-input').value.trim());
  });
  const fromFragment = new URLSearchParams(location.hash.slice(1)).get('key');
  if (fromFragment) history.replaceState(null, '', location.pathname);
  const key = fromFragment || localStorage.getItem('vigil.key');
  if (key) start(key); else askForKey();
});
