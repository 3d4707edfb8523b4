package dev.vigil.rules.cel;

import dev.cel.common.ast.CelConstant;
import dev.cel.common.ast.CelExpr;
import dev.vigil.rules.RuleException;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks the shape of a type-checked condition before it may run on the alert-router: every function
 * and operator is on {@link #ALLOWED_FUNCTIONS}, and the tree is small (nodes, depth, comprehension
 * nesting, literal string and list sizes). The evaluation itself is bounded by
 * {@link EvaluationBudget}; these checks refuse at creation, with a message that names the problem,
 * what would otherwise only fail on records.
 *
 * <p>The allowlist is what conditions over one record need: logic, comparison, arithmetic, indexing,
 * {@code in}, {@code size}, the string tests and the strings extension's non-growing functions, the
 * conversions, timestamp accessors. Left out: {@code join} (builds one string from a whole list, the
 * cheapest way to amplify a comprehension's output) and anything not named here, so a CEL upgrade
 * that adds functions adds nothing to what users can run.
 */
final class ConditionGuard {

    /** Most nodes in a condition's syntax tree (a 2,000-character condition has a few hundred). */
    static final int MAX_NODES = 1_000;
    /** Deepest nesting of the syntax tree. */
    static final int MAX_DEPTH = 48;
    /** Most comprehensions ({@code exists}, {@code map}, …) nested inside each other. */
    static final int MAX_COMPREHENSION_NESTING = 2;
    /** Longest string literal, in characters. */
    static final int MAX_STRING_LITERAL = 512;
    /** Most elements in a list or map literal. */
    static final int MAX_LIST_LITERAL = 100;

    static final Set<String> ALLOWED_FUNCTIONS = Set.of(
            // logic and comparison
            "_&&_", "_||_", "!_", "_?_:_", "@not_strictly_false", "not_strictly_false",
            "_==_", "_!=_", "_<_", "_<=_", "_>_", "_>=_", "@in",
            // arithmetic (on strings and lists, + is bounded by EvaluationBudget)
            "_+_", "_-_", "_*_", "_/_", "_%_", "-_",
            // access and size
            "_[_]", "size",
            // string tests and the strings extension's functions, replace bounded by BoundedReplace
            "contains", "startsWith", "endsWith", "matches",
            "lowerAscii", "upperAscii", "trim", "split", "substring", "indexOf", "lastIndexOf", "charAt",
            "replace",
            // meaning match (rules/meaning): one cached sentence embedding per record text
            "means", "meaning",
            // conversions
            "int", "uint", "double", "string", "bool", "dyn", "type", "timestamp", "duration",
            // timestamp and duration accessors
            "getFullYear", "getMonth", "getDayOfYear", "getDayOfMonth", "getDate", "getDayOfWeek",
            "getHours", "getMinutes", "getSeconds", "getMilliseconds");

    private int nodes;

    private ConditionGuard() {
    }

    /** Throws when the checked condition {@code root} uses a refused function or is too large. */
    static void check(CelExpr root) throws RuleException {
        new ConditionGuard().visit(root, 1, 0);
    }

    private void visit(CelExpr expr, int depth, int comprehensions) throws RuleException {
        if (++nodes > MAX_NODES) {
            throw tooComplex("has more than " + MAX_NODES + " terms");
        }
        if (depth > MAX_DEPTH) {
            throw tooComplex("nests deeper than " + MAX_DEPTH + " levels");
        }
        switch (expr.getKind()) {
            case CONSTANT -> checkConstant(expr.constant());
            case IDENT -> { }
            case SELECT -> visit(expr.select().operand(), depth + 1, comprehensions);
            case CALL -> {
                String function = expr.call().function();
                if (!ALLOWED_FUNCTIONS.contains(function)) {
                    throw new RuleException(RuleException.Reason.FUNCTION_NOT_ALLOWED,
                            "The condition uses the function '" + function + "', which conditions may not use. "
                                    + "Allowed functions and operators: " + readable() + ".");
                }
                if (expr.call().target().isPresent()) {
                    visit(expr.call().target().get(), depth + 1, comprehensions);
                }
                for (CelExpr arg : expr.call().args()) {
                    visit(arg, depth + 1, comprehensions);
                }
            }
            case LIST -> {
                if (expr.list().elements().size() > MAX_LIST_LITERAL) {
                    throw tooComplex("has a list of " + expr.list().elements().size()
                            + " elements; the limit is " + MAX_LIST_LITERAL);
                }
                for (CelExpr element : expr.list().elements()) {
                    visit(element, depth + 1, comprehensions);
                }
            }
            case MAP -> {
                if (expr.map().entries().size() > MAX_LIST_LITERAL) {
                    throw tooComplex("has a map of " + expr.map().entries().size()
                            + " entries; the limit is " + MAX_LIST_LITERAL);
                }
                for (var entry : expr.map().entries()) {
                    visit(entry.key(), depth + 1, comprehensions);
                    visit(entry.value(), depth + 1, comprehensions);
                }
            }
            case COMPREHENSION -> {
                if (comprehensions + 1 > MAX_COMPREHENSION_NESTING) {
                    throw tooComplex("nests more than " + MAX_COMPREHENSION_NESTING
                            + " macros (exists, all, map, filter…) inside each other");
                }
                var c = expr.comprehension();
                visit(c.iterRange(), depth + 1, comprehensions);
                visit(c.accuInit(), depth + 1, comprehensions + 1);
                visit(c.loopCondition(), depth + 1, comprehensions + 1);
                visit(c.loopStep(), depth + 1, comprehensions + 1);
                visit(c.result(), depth + 1, comprehensions + 1);
            }
            default -> throw new RuleException(RuleException.Reason.FUNCTION_NOT_ALLOWED,
                    "The condition uses a " + expr.getKind().name().toLowerCase(java.util.Locale.ROOT)
                            + " expression, which conditions may not use.");
        }
    }

    private static void checkConstant(CelConstant constant) throws RuleException {
        if (constant.getKind() == CelConstant.Kind.STRING_VALUE
                && constant.stringValue().length() > MAX_STRING_LITERAL) {
            throw tooComplex("has a string of " + constant.stringValue().length()
                    + " characters; the limit is " + MAX_STRING_LITERAL);
        }
        if (constant.getKind() == CelConstant.Kind.BYTES_VALUE
                && constant.bytesValue().size() > MAX_STRING_LITERAL) {
            throw tooComplex("has a bytes literal of " + constant.bytesValue().size()
                    + " bytes; the limit is " + MAX_STRING_LITERAL);
        }
    }

    private static RuleException tooComplex(String what) {
        return new RuleException(RuleException.Reason.CONDITION_TOO_COMPLEX,
                "The condition " + what + ". Simplify it or split it into several events.");
    }

    private static String readable() {
        Set<String> names = new TreeSet<>();
        for (String f : ALLOWED_FUNCTIONS) {
            if (!f.startsWith("@") && !f.equals("not_strictly_false")) {
                names.add(f.replace("_", " ").trim().replace("? :", "?:").replace("[ ]", "[]"));
            }
        }
        return String.join(", ", names);
    }
}
