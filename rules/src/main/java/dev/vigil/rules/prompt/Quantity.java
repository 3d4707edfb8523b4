package dev.vigil.rules.prompt;

/**
 * A count constraint from a prompt ("more than 3", "at least two", "no"), applied to
 * {@code counts.people} or {@code counts.faces}.
 */
record Quantity(Comparison comparison, long n) {

    /** The default when a prompt names people without a number: at least one. */
    static final Quantity AT_LEAST_ONE = new Quantity(Comparison.GE, 1);

    enum Comparison {
        GE(">="), GT(">"), LT("<"), LE("<="), EQ("=="), NE("!=");

        final String cel;

        Comparison(String cel) {
            this.cel = cel;
        }
    }

    /** The complement: "no people" is the negation of "at least one person". */
    Quantity negate() {
        return switch (comparison) {
            case GE -> new Quantity(Comparison.LT, n);
            case GT -> new Quantity(Comparison.LE, n);
            case LT -> new Quantity(Comparison.GE, n);
            case LE -> new Quantity(Comparison.GT, n);
            case EQ -> new Quantity(Comparison.NE, n);
            case NE -> new Quantity(Comparison.EQ, n);
        };
    }

    /** The comparison in CEL, e.g. {@code ">= 1"}; "fewer than one" is written {@code "== 0"}. */
    String cel() {
        if (comparison == Comparison.LT && n == 1) {
            return "== 0";
        }
        return comparison.cel + " " + n;
    }

    /** English, e.g. "at least 1 person", "no faces", "more than 3 people". */
    String describe(String singular, String plural) {
        if ((comparison == Comparison.LT && n == 1) || (comparison == Comparison.EQ && n == 0)
                || (comparison == Comparison.LE && n == 0)) {
            return "no " + plural;
        }
        String noun = n == 1 && comparison != Comparison.GT && comparison != Comparison.LT ? singular : plural;
        String prefix = switch (comparison) {
            case GE -> "at least ";
            case GT -> "more than ";
            case LT -> "fewer than ";
            case LE -> "at most ";
            case EQ -> "exactly ";
            case NE -> "a number other than ";
        };
        return prefix + n + " " + noun;
    }
}
