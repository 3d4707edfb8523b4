/**
 * Event rules: compiles an event prompt or an explicit condition into a CEL expression over a normalised index record, and evaluates it (shared by control-api and alert-router). Built with the alert-router capability.
 */
package dev.vigil.rules;
