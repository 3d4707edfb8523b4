/**
 * Alert router: the Kafka Streams application matching index records ({@code vigil.index.*}) against
 * alerts ({@code vigil.alerts}) and their events ({@code vigil.events}) into notifications on
 * {@code vigil.alerts.fired}. Entry points: {@link dev.vigil.alerts.AlertRouterTopology#build},
 * {@link dev.vigil.alerts.AlertRouterService}, {@link dev.vigil.alerts.Main}. See the module's DESIGN.md.
 */
package dev.vigil.alerts;
