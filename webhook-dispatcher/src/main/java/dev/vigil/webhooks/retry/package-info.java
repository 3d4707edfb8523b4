/**
 * The retry schedule: which delay tier a failed attempt waits in, with jitter and {@code Retry-After}.
 */
package dev.vigil.webhooks.retry;
