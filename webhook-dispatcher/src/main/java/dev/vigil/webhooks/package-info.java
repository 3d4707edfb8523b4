/**
 * Webhook dispatcher: delivers {@code vigil.alerts.fired} to signed webhooks, at least once, with
 * retry topics, dead letters and replay. Entry points: {@link dev.vigil.webhooks.WebhookDispatcherService},
 * {@link dev.vigil.webhooks.Main}, {@link dev.vigil.webhooks.Replay}; the flow is in {@code DESIGN.md}.
 */
package dev.vigil.webhooks;
