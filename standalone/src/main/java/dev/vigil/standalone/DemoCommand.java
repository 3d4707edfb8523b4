package dev.vigil.standalone;

import dev.vigil.standalone.demo.DemoRun;
import dev.vigil.standalone.demo.DemoSetup;
import dev.vigil.standalone.demo.DemoWebhookReceiver;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * {@code vigil demo}: {@code vigil standalone} plus a live sample: the bundled clip ingested on a
 * loop, a transcript, visual and audio index, the event "Detect intruder", an alert to the WebSocket
 * and to a webhook receiver built into the demo, which verifies each delivery's signature. Prints
 * what a newcomer needs: the API key, the dashboard URL and a Python snippet for VideoDB's SDK.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run standalone with a bundled sample stream, indexes, the event \"Detect intruder\" and alerts.",
                "Demo mode also allows local file streams and loopback webhook URLs (VIGIL_*_ALLOW_* below)."})
public class DemoCommand extends StandaloneCommand {

    @Override
    Map<String, String> effectiveEnvironment() {
        Map<String, String> env = super.effectiveEnvironment();
        DemoRun.DEMO_DEFAULTS.forEach(env::putIfAbsent);
        return env;
    }

    @Override
    public Integer call() throws Exception {
        StandaloneConfig config = StandaloneConfig.from(effectiveEnvironment());
        logConfiguration(config);
        DemoRun run = DemoRun.start(config);
        Standalone standalone = run.standalone().stopOnShutdown();
        printWelcome(standalone);
        DemoSetup.Demo demo = run.setUp(null);
        printModels(config.indexer().models());
        printDemo(standalone, run.apiKey(), demo);
        standalone.awaitStop();
        return 0;
    }

    /** Which engines write the demo's records: the models when configured, else the offline ones and how to add models. */
    private void printModels(dev.vigil.common.models.ModelConfig models) {
        PrintWriter out = spec.commandLine().getOut();
        if (models.baseUrl().isEmpty()) {
            out.printf("Models          : none (offline engines). With a model server: VIGIL_MODEL_VISION=… ./vigil demo --model URL%n");
        } else {
            out.printf("Models          : %s  vision %s, text %s, transcribe %s%n", models.baseUrl().get(),
                    models.vision().orElse("-"), models.text().orElse("-"), models.transcribe().orElse("-"));
        }
        out.flush();
    }

    private void printDemo(Standalone standalone, String apiKey, DemoSetup.Demo demo) {
        PrintWriter out = spec.commandLine().getOut();
        String url = standalone.httpUrl();
        out.printf("%nThe demo is live: \"%s\" plays on a loop; someone says \"there is an intruder in the warehouse\""
                + " every 20 s.%n", DemoSetup.STREAM_NAME);
        out.printf("  Dashboard       : %s/#key=%s%n", url, apiKey);
        out.printf("  Stream          : %s  (indexes: transcript %s, visual %s, audio %s)%n", demo.rtstreamId(),
                demo.transcriptIndexId(), demo.sceneIndexId(), demo.audioIndexId());
        out.printf("  Event / alert   : %s / %s  (WebSocket and the signed webhook receiver: %s%s)%n", demo.eventId(),
                demo.alertId(), url, DemoWebhookReceiver.LIST_PATH);
        out.printf("%nWith VideoDB's Python SDK (pip install videodb), against this server:%n%n");
        out.printf("  import videodb%n");
        out.printf("  conn = videodb.connect(api_key=\"%s\", base_url=\"%s\")%n", apiKey, url);
        out.printf("  rts = conn.get_collection().get_rtstream(\"%s\")%n", demo.rtstreamId());
        out.printf("  for index in rts.list_scene_indexes():%n");
        out.printf("      print(index.name, index.get_scenes(page_size=3))%n");
        out.printf("  print(conn.list_events())%n");
        out.printf("%nOr with curl: curl -s %s/rtstream/%s -H 'x-access-token: %s'%n", url, demo.rtstreamId(), apiKey);
        out.printf("Press Ctrl-C to stop.%n");
        out.flush();
    }
}
