// VideoDB's own Node SDK (npm videodb, installed by scripts/install-node-sdk.sh) against a running Vigil
// demo: the calls a user of the SDK makes. Prints what it read as JSON; the Java test checks it.
// Usage: node videodb-sdk-check.mjs <api key> <base url> <rtstream id>
import { connect } from 'videodb';

const [apiKey, baseURL, rtstreamId] = process.argv.slice(2);
const conn = connect(apiKey, baseURL);
const out = {};
const coll = await conn.getCollection();
out.collection = coll.id;
const rts = await coll.getRTStream(rtstreamId);
out.stream = { id: rts.id, name: rts.name, status: rts.status };
const indexes = await rts.listSceneIndexes();
out.indexes = indexes.map((i) => ({ id: i.rtstreamIndexId, name: i.name, type: i.extractionType }));
const visual = indexes.find((i) => i.name === 'Warehouse visuals');
const scenes = await visual.getScenes(undefined, undefined, 1, 3);
out.scenes = (scenes?.scenes ?? []).map((s) => ({ start: s.start, end: s.end, description: s.description }));
const audio = indexes.find((i) => i.name === 'Warehouse audio');
// The SDK hands these lists back as the server sent them, with keys camel-cased.
out.alerts = (await audio.listAlerts()).map((a) => ({ id: a.alertId ?? a.alert_id, label: a.label, status: a.status }));
out.events = (await conn.listEvents()).map((e) => ({ id: e.eventId ?? e.event_id, label: e.label }));
const found = await rts.search({ query: 'intruder in the warehouse' });
out.shots = (found.shots ?? []).map((s) => ({ text: s.text, score: s.searchScore, start: s.start, end: s.end }));
const ws = await conn.connectWebsocket();
await ws.connect();
out.wsConnectionId = ws.connectionId;
await ws.close();
console.log(JSON.stringify(out));
process.exit(0);
