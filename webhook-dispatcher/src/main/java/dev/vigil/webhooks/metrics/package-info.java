/**
 * Micrometer meters of the webhook dispatcher.
 */
package dev.vigil.webhooks.metrics;
