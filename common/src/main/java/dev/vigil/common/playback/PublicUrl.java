package dev.vigil.common.playback;

import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.net.URI;
import java.util.Optional;

/**
 * {@code VIGIL_API_PUBLIC_URL}: where clients reach control-api, the base of every media link handed out
 * (playback API, notifications). Read by control-api and the alert-router.
 */
public final class PublicUrl {

    public static final Setting<URI> SETTING = Settings.uri("VIGIL_API_PUBLIC_URL", null,
            "Base http(s) URL clients reach control-api at (e.g. https://vigil.example.com), used in the stream, player, "
                    + "snapshot and export links of the playback API and of alert notifications. Unset: the API derives it "
                    + "from each request's Host; notifications carry no links. Read by control-api and the alert-router.")
            .check(u -> ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
                    && u.getQuery() == null && u.getFragment() == null, "an http or https URL without query or fragment");

    private PublicUrl() {
    }

    /** The configured base without a trailing slash. */
    public static Optional<String> base(Optional<URI> configured) {
        return configured.map(u -> u.toString().replaceAll("/+$", ""));
    }
}
