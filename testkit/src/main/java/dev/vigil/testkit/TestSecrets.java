package dev.vigil.testkit;

/**
 * The {@code VIGIL_SECRETS_KEYS} value tests give control-api and webhook-dispatcher, the same in
 * both so an alert's sealed webhook secret written by one opens in the other.
 */
public final class TestSecrets {

    /** One key, id {@code test}. */
    public static final String KEYS = "test=vigil-test-secret-key-material-0123456789";

    private TestSecrets() {
    }
}
