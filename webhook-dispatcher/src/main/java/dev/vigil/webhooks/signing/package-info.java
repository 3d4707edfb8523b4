/**
 * Standard Webhooks signatures ({@code webhook-id}, {@code webhook-timestamp}, {@code webhook-signature}).
 */
package dev.vigil.webhooks.signing;
