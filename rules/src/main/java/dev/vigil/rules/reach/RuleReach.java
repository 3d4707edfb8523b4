package dev.vigil.rules.reach;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelValidationException;
import dev.cel.common.CelValidationResult;
import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.cel.parser.CelStandardMacro;
import dev.vigil.rules.record.NormalisedRecord;
import dev.vigil.rules.record.TextNormaliser;
import dev.vigil.schemas.alerts.Channel;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Whether a condition can ever be true on the records of an index: the alert check that refuses
 * "More than three people in the room" on an index without a "room" zone, or a scene-only condition
 * on a transcript index, instead of storing an alert that can never fire.
 *
 * <p>The analysis reads the condition's syntax tree and is conservative: it only proves
 * "never" from the facts every record of the index shares, and answers "can fire" for anything it
 * does not understand. Facts used:
 * <ul>
 *   <li>{@code channel == "x"} and {@code channel in ["x", "y"]}: the index's records all have one channel;</li>
 *   <li>{@code "z" in zones} and {@code zones["z"]}: a scene index reports only the zones of its
 *       {@code extraction_config.zones} (other channels report none), so a zone it does not define
 *       is absent from every record;</li>
 *   <li>{@code &&} needs both sides, {@code ||} either; {@code !}, comparisons and functions are
 *       not looked into (they can be true).</li>
 * </ul>
 * Thread-safe and stateless.
 */
public final class RuleReach {

    private static final Cel PARSER = CelFactory.standardCelBuilder()
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS).build();

    private RuleReach() {
    }

    /**
     * Why {@code condition} can never be true on records of an index, or empty when it can fire.
     *
     * @param condition a condition that compiled (any other is reported as able to fire)
     * @param channel   the channel of every record of the index
     * @param zoneNames the zones the index defines, as named in its configuration (empty: none)
     */
    public static Optional<String> whyNeverFires(String condition, Channel channel, Collection<String> zoneNames) {
        CelExpr root;
        try {
            CelValidationResult parsed = PARSER.parse(condition);
            if (parsed.hasError()) {
                return Optional.empty();
            }
            root = parsed.getAst().getExpr();
        } catch (CelValidationException | RuntimeException e) {
            return Optional.empty();
        }
        Set<String> zones = zoneNames.stream().map(TextNormaliser::zoneKey).filter(z -> !z.isEmpty())
                .collect(Collectors.toCollection(TreeSet::new));
        String wire = NormalisedRecord.wireName(channel);
        if (!canHold(root, wire, null)) {
            Set<String> wanted = new TreeSet<>();
            collectChannels(root, wanted);
            return Optional.of("its event fires only on " + String.join(" or ", wanted) + " records, and this index ("
                    + wire + ") produces only " + wire + " records. Bind the event to an index of that kind, or "
                    + "create an event for this one.");
        }
        if (!canHold(root, wire, zones)) {
            Set<String> wanted = new LinkedHashSet<>();
            collectZones(root, wanted);
            wanted.removeAll(zones);
            return Optional.of("its event needs the zone" + (wanted.size() == 1 ? " " : "s ")
                    + wanted.stream().map(z -> "\"" + z + "\"").collect(Collectors.joining(", "))
                    + ", which this index does not define ("
                    + (zones.isEmpty() ? "it defines no zones" : "it defines " + String.join(", ", zones))
                    + "). Add the zone to the index's extraction_config.zones, or change the event.");
        }
        return Optional.empty();
    }

    /** False only when {@code e} is false on every record of the channel (and zone set, when given). */
    private static boolean canHold(CelExpr e, String channel, Set<String> zones) {
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL) {
            return !(e.getKind() == CelExpr.ExprKind.Kind.CONSTANT
                    && e.constant().getKind() == CelConstant.Kind.BOOLEAN_VALUE && !e.constant().booleanValue());
        }
        String fn = e.call().function();
        List<CelExpr> args = e.call().args();
        switch (fn) {
            case "_&&_":
                return canHold(args.get(0), channel, zones) && canHold(args.get(1), channel, zones);
            case "_||_":
                return canHold(args.get(0), channel, zones) || canHold(args.get(1), channel, zones);
            case "_==_": {
                Optional<String> c = channelLiteral(args.get(0), args.get(1));
                return c.isEmpty() || c.get().equals(channel);
            }
            case "@in": {
                if (isIdent(args.get(0), "channel") && args.get(1).getKind() == CelExpr.ExprKind.Kind.LIST) {
                    List<CelExpr> items = args.get(1).list().elements();
                    boolean allLiterals = items.stream().allMatch(RuleReach::isString);
                    return !allLiterals || items.stream().anyMatch(i -> stringOf(i).equals(channel));
                }
                if (zones != null && isString(args.get(0)) && isIdent(args.get(1), "zones")) {
                    return zones.contains(stringOf(args.get(0)));
                }
                return true;
            }
            case "_[_]":
                if (zones != null && isIdent(args.get(0), "zones") && isString(args.get(1))) {
                    return zones.contains(stringOf(args.get(1)));
                }
                return true;
            default:
                // A member call or selection on zones["z"] (zones["z"].people > 3) needs the zone too.
                if (zones != null) {
                    for (CelExpr arg : args) {
                        if (!reachesZone(arg, zones)) {
                            return false;
                        }
                    }
                }
                return true;
        }
    }

    /** False when {@code e} reads {@code zones["z"]} (directly or through a field) for a zone not in the set. */
    private static boolean reachesZone(CelExpr e, Set<String> zones) {
        if (e.getKind() == CelExpr.ExprKind.Kind.SELECT) {
            return reachesZone(e.select().operand(), zones);
        }
        if (e.getKind() == CelExpr.ExprKind.Kind.CALL && e.call().function().equals("_[_]")) {
            return canHold(e, "", zones);
        }
        return true;
    }

    private static Optional<String> channelLiteral(CelExpr a, CelExpr b) {
        if (isIdent(a, "channel") && isString(b)) {
            return Optional.of(stringOf(b));
        }
        if (isIdent(b, "channel") && isString(a)) {
            return Optional.of(stringOf(a));
        }
        return Optional.empty();
    }

    private static void collectChannels(CelExpr e, Set<String> out) {
        if (e.getKind() != CelExpr.ExprKind.Kind.CALL) {
            return;
        }
        List<CelExpr> args = e.call().args();
        if (e.call().function().equals("_==_")) {
            channelLiteral(args.get(0), args.get(1)).ifPresent(out::add);
        } else if (e.call().function().equals("@in") && isIdent(args.get(0), "channel")
                && args.get(1).getKind() == CelExpr.ExprKind.Kind.LIST) {
            args.get(1).list().elements().stream().filter(RuleReach::isString).map(RuleReach::stringOf).forEach(out::add);
        }
        args.forEach(a -> collectChannels(a, out));
    }

    private static void collectZones(CelExpr e, Set<String> out) {
        switch (e.getKind()) {
            case CALL -> {
                List<CelExpr> args = e.call().args();
                String fn = e.call().function();
                if (fn.equals("@in") && isString(args.get(0)) && isIdent(args.get(1), "zones")) {
                    out.add(stringOf(args.get(0)));
                } else if (fn.equals("_[_]") && isIdent(args.get(0), "zones") && isString(args.get(1))) {
                    out.add(stringOf(args.get(1)));
                }
                args.forEach(a -> collectZones(a, out));
                e.call().target().ifPresent(t -> collectZones(t, out));
            }
            case SELECT -> collectZones(e.select().operand(), out);
            default -> {
            }
        }
    }

    private static boolean isIdent(CelExpr e, String name) {
        return e.getKind() == CelExpr.ExprKind.Kind.IDENT && e.ident().name().equals(name);
    }

    private static boolean isString(CelExpr e) {
        return e.getKind() == CelExpr.ExprKind.Kind.CONSTANT && e.constant().getKind() == CelConstant.Kind.STRING_VALUE;
    }

    private static String stringOf(CelExpr e) {
        return e.constant().stringValue();
    }
}
