/**
 * Control API: VideoDB-compatible REST control plane writing the compacted control topics. Built with the control-api capability.
 */
package dev.vigil.api;
