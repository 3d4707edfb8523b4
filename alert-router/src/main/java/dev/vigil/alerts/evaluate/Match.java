package dev.vigil.alerts.evaluate;

import dev.vigil.rules.cel.Condition;
import dev.vigil.schemas.control.AlertBinding;
import dev.vigil.schemas.control.EventRule;

/** An alert whose event's condition held for a record (before the cooldown has its say). */
public record Match(AlertBinding alert, EventRule event, Condition condition) {
}
