/**
 * The Kafka side: consuming alerts.fired and the retry tiers, writing outcomes, committing settled offsets.
 */
package dev.vigil.webhooks.pipeline;
