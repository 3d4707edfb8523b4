package dev.vigil.api.playback;

import dev.vigil.api.http.ApiError;
import dev.vigil.api.http.ApiKeyAuth;
import dev.vigil.common.secrets.SignedUrls;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Guards the media routes under {@code /play}: a request passes with a genuine, unexpired signature for
 * its path and parameters (what players, webhook receivers and browsers get), or with the API key in
 * {@code x-access-token} (then the handler checks the tenant owns the stream). Nothing there is open:
 * without either the answer is 401, a forged or altered signature 403 {@code invalid_signature}, an
 * expired one 403 {@code link_expired}. Only the player's static assets ({@code /play/assets/}) are public.
 */
final class MediaAccess implements Handler<RoutingContext> {

    /** Set on the context when the request was admitted by its signature. */
    static final String SIGNED = "vigil.media.signed";
    static final String ASSETS = "/play/assets/";

    private final SignedUrls signer;
    private final ApiKeyAuth apiKeys;

    MediaAccess(SignedUrls signer, ApiKeyAuth apiKeys) {
        this.signer = signer;
        this.apiKeys = apiKeys;
    }

    @Override
    public void handle(RoutingContext ctx) {
        String path = ctx.request().path();
        if (path.startsWith(ASSETS)) {
            ctx.next();
            return;
        }
        if (ctx.queryParam(SignedUrls.SIGNATURE).isEmpty()) {
            apiKeys.handle(ctx);
            return;
        }
        Map<String, String> params = new LinkedHashMap<>();
        for (String name : ctx.queryParams().names()) {
            if (ctx.queryParam(name).size() != 1) {
                ctx.fail(new ApiError(403, "invalid_signature", "signed URL repeats query parameter '" + name + "'"));
                return;
            }
            params.put(name, ctx.queryParam(name).get(0));
        }
        try {
            signer.verify(path, params);
        } catch (SignedUrls.InvalidSignatureException e) {
            String code = e.refusal() == SignedUrls.Refusal.EXPIRED ? "link_expired" : "invalid_signature";
            ctx.fail(new ApiError(403, code, e.getMessage()));
            return;
        }
        ctx.put(SIGNED, Boolean.TRUE);
        ctx.next();
    }

    static boolean signed(RoutingContext ctx) {
        return Boolean.TRUE.equals(ctx.get(SIGNED));
    }
}
