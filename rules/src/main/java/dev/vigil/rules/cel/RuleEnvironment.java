package dev.vigil.rules.cel;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelBuilder;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelOptions;
import dev.cel.extensions.CelExtensions;
import dev.cel.extensions.CelStringExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.vigil.rules.meaning.MeaningFunctions;
import dev.vigil.rules.record.RecordVariable;
import java.util.EnumSet;

/**
 * Builds the one CEL environment every condition is compiled and run in: the variables of
 * {@link RecordVariable} with their types, the standard macros ({@code has}, {@code exists},
 * {@code all}, {@code exists_one}, {@code map}, {@code filter}) and the strings extension
 * ({@code lowerAscii}, {@code split}, …).
 *
 * <p>Options, each chosen for a reason:
 * <ul>
 *   <li>heterogeneous numeric comparisons, so {@code loudness > -20} and {@code counts.people >= 1.0}
 *       type-check (CEL otherwise refuses int vs double);</li>
 *   <li>a cap on comprehension iterations and on regular-expression size, so a user's condition
 *       cannot stall an alert-router thread;</li>
 *   <li>a cap on expression size as a backstop for {@link ConditionCompiler#MAX_CONDITION_LENGTH}, and on
 *       parser recursion so a deeply nested condition is refused by the parser, not by a stack overflow;</li>
 *   <li>{@code replace} checks the size of its result before building it ({@link BoundedReplace}).</li>
 * </ul>
 * The returned {@link Cel} is immutable and thread-safe.
 */
public final class RuleEnvironment {

    /** Upper bound on the iterations of one comprehension ({@code exists}, {@code all}, …). */
    static final int MAX_COMPREHENSION_ITERATIONS = 1_000;

    // The strings extension without its replace, which BoundedReplace provides with a size check.
    private static final CelStringExtensions STRINGS = CelExtensions.strings(
            EnumSet.complementOf(EnumSet.of(CelStringExtensions.Function.REPLACE)));

    private RuleEnvironment() {
    }

    public static Cel create() {
        CelOptions options = CelOptions.current()
                .enableHeterogeneousNumericComparisons(true)
                .comprehensionMaxIterations(MAX_COMPREHENSION_ITERATIONS)
                .maxRegexProgramSize(1_000)
                .maxExpressionCodePointSize(ConditionCompiler.MAX_CONDITION_LENGTH)
                .maxParseRecursionDepth(ConditionGuard.MAX_DEPTH * 2)
                .build();
        CelBuilder builder = CelFactory.standardCelBuilder()
                .setOptions(options)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
                .addCompilerLibraries(STRINGS)
                .addRuntimeLibraries(STRINGS)
                .addFunctionDeclarations(BoundedReplace.declaration())
                .addFunctionBindings(BoundedReplace.bindings());
        for (RecordVariable v : RecordVariable.values()) {
            builder.addVar(v.celName(), v.type());
        }

        // --- Meaning match (dev.vigil.rules.meaning): text.means("...") and meaning(text, "...") ---
        builder.addFunctionDeclarations(MeaningFunctions.declarations())
                .addFunctionBindings(MeaningFunctions.bindings());
        // --- end meaning match ---

        return builder.build();
    }
}
