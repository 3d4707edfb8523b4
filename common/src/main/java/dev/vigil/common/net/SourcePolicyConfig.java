package dev.vigil.common.net;

import dev.vigil.common.config.ConfigValues;
import dev.vigil.common.config.Setting;
import dev.vigil.common.config.Settings;
import java.util.List;

/**
 * Which addresses stream sources may point at: read by control-api (checked when a stream is
 * created) and by the ingest worker (checked again right before each connection), so both must be
 * given the same values. Cloud metadata addresses ({@link UrlPolicy#ALWAYS_REFUSED}) are refused
 * whatever is set here.
 *
 * @param allowPrivate    accept loopback, private and link-local sources (cameras on the LAN)
 * @param refusedRanges   CIDR ranges refused always, on top of the metadata addresses
 */
public record SourcePolicyConfig(boolean allowPrivate, List<String> refusedRanges) {

    public static final Setting<Boolean> ALLOW_PRIVATE = Settings.bool("VIGIL_SOURCES_ALLOW_PRIVATE", false,
            "Accept stream URLs whose host is or resolves to a loopback, private or link-local address (cameras on the "
                    + "local network). Cloud metadata addresses stay refused; refuse more with VIGIL_SOURCES_REFUSED_ADDRESSES. "
                    + "Read by control-api and the ingest worker: set it on both.");
    public static final Setting<List<String>> REFUSED_ADDRESSES = Settings.list("VIGIL_SOURCES_REFUSED_ADDRESSES", List.of(),
            "Address ranges (CIDR, e.g. 10.0.0.0/16,fd12::/16) stream URLs may never point at, even with private sources "
                    + "allowed: the cluster's own networks, the Kafka brokers, admin interfaces. Read by control-api and the ingest worker.")
            .check(ranges -> ranges.stream().allMatch(UrlPolicy::isValidRange), "CIDR ranges like 10.0.0.0/8 or fd00::/8");

    public static final List<Setting<?>> SETTINGS = List.of(ALLOW_PRIVATE, REFUSED_ADDRESSES);

    public SourcePolicyConfig {
        refusedRanges = List.copyOf(refusedRanges);
    }

    public static SourcePolicyConfig from(ConfigValues values) {
        return new SourcePolicyConfig(values.get(ALLOW_PRIVATE), values.get(REFUSED_ADDRESSES));
    }

    /** The URL policy for stream sources with these settings and {@code resolver}. */
    public UrlPolicy policy(HostResolver resolver) {
        return UrlPolicy.forStreamSources(allowPrivate, refusedRanges, resolver);
    }
}
