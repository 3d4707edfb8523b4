// VideoDB's own Node SDK (npm videodb, installed by scripts/install-node-sdk.sh) against Vigil's playback API:
// rts.generateStream(start, end), a search shot's generateStream(), rts.export() twice. Prints what it read as
// JSON; the Java test (PlaybackSdkIT) plays the URLs with ffprobe.
// Usage: node videodb-playback-check.mjs <api key> <base url> <rtstream id> <start s> <end s> <query> <export rtstream id>
import { connect } from 'videodb';

const [apiKey, baseURL, rtstreamId, start, end, query, exportId] = process.argv.slice(2);
const conn = connect(apiKey, baseURL);
const coll = await conn.getCollection();
const rts = await coll.getRTStream(rtstreamId);
const out = {};
out.streamUrl = await rts.generateStream(Number(start), Number(end));
const found = await rts.search({ query });
const shot = (found.shots ?? [])[0];
out.shot = shot ? { start: shot.start, end: shot.end, streamUrl: await shot.generateStream(), playerUrl: shot.playerUrl } : null;
const recorded = await coll.getRTStream(exportId);
out.export = await recorded.export();
out.exportAgain = await recorded.export();
console.log(JSON.stringify(out));
process.exit(0);
