// VideoDB's own Node SDK (npm videodb, installed by scripts/install-node-sdk.sh) against a Vigil whose
// models are a fake OpenAI-compatible server: the seed's quick example with "Detect person without
// helmet", as a user of the SDK writes it. Prints one JSON line per stage; the Java test drives it.
// Usage: node videodb-sdk-models.mjs <api key> <base url> <clip url> <callback url>
//   1. sets up with the stream stopped, prints {"stage":"created",...} and waits for a line on stdin
//      (the test fetches the alert's webhook secret meanwhile: the SDK does not return it);
//   2. starts the stream, waits for an alert and a transcript frame on its WebSocket, reads the
//      transcript with get_transcript until it has word timestamps, prints {"stage":"done",...}.
import { connect } from 'videodb';
import readline from 'node:readline';

const [apiKey, baseURL, clipUrl, callbackUrl] = process.argv.slice(2);
const PATIENCE_MS = 100_000; // under the Java side's 120 s, so the script reports what it saw
const print = (o) => console.log(JSON.stringify(o));

const conn = connect(apiKey, baseURL);
const coll = await conn.getCollection();
// ws = conn.connect_websocket(); await ws.connect()
const ws = await conn.connectWebsocket();
await ws.connect();
const frames = [];
ws.onMessage((m) => frames.push(m));

// coll.connect_rtstream(url, name, media_types, sample_rate, ws_connection_id)
const rts = await coll.connectRTStream(clipUrl, 'Loading dock (models)', ['video', 'audio'], 1, undefined, undefined,
  ws.connectionId);
await rts.stop();
// rts.start_transcript(ws_connection_id)
await rts.startTranscript(ws.connectionId);
// rts.index_visuals(prompt, batch_config, name, ws_connection_id)
const scene = await rts.indexVisuals({
  prompt: 'Describe the people and their safety equipment',
  batchConfig: { type: 'time', value: 2, frameCount: 1 },
  name: 'Dock visuals',
  socketId: ws.connectionId,
});
// conn.create_event(event_prompt, label); scene.create_alert(event_id, callback_url, ws_connection_id)
const eventId = await conn.createEvent('Detect person without helmet', 'no-helmet');
const alertId = await scene.createAlert(eventId, callbackUrl, ws.connectionId);
print({ stage: 'created', rtstreamId: rts.id, sceneIndexId: scene.rtstreamIndexId, eventId, alertId,
  connectionId: ws.connectionId });

const lines = readline.createInterface({ input: process.stdin });
await new Promise((resolve) => lines.once('line', resolve));
lines.close();

await rts.start();
const deadline = Date.now() + PATIENCE_MS;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));
const find = (channel) => frames.find((f) => f.channel === channel);
while (!(find('alert') && find('transcript')) && Date.now() < deadline) {
  await wait(100);
}
// rts.get_transcript(page=1, page_size=100): the records arrive in the store shortly after the socket.
let transcript = {};
const records = (t) => t.transcriptionRecords ?? t.transcription_records ?? [];
const timed = (r) => (r.wordTimestamps ?? r.word_timestamps ?? []).length > 0;
while (Date.now() < deadline) {
  transcript = await rts.getTranscript({ page: 1, pageSize: 100 });
  if (records(transcript).some(timed)) {
    break;
  }
  await wait(250);
}
print({ stage: 'done', alert: find('alert') ?? null, transcript: find('transcript') ?? null,
  transcriptRecords: records(transcript), channels: [...new Set(frames.map((f) => f.channel))] });
await ws.close();
process.exit(0);
