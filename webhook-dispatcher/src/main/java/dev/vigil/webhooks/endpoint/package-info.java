/**
 * Per-endpoint isolation: a queue, a concurrency limit and a circuit breaker for each scheme://host:port.
 */
package dev.vigil.webhooks.endpoint;
