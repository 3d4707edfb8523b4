/**
 * Alert router: Kafka Streams topology matching vigil.index.* records against vigil.alerts and vigil.events into vigil.alerts.fired. Built with the alerting capability.
 */
package dev.vigil.alerts;
