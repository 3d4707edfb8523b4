/**
 * Webhook dispatcher: delivers vigil.alerts.fired to signed webhooks, at least once. Built with the webhook capability.
 */
package dev.vigil.webhooks;
