/**
 * Event rules: compiles an event prompt or an explicit condition into a CEL expression over a
 * normalised index record, and evaluates it. Shared by control-api (validation, showing the compiled
 * condition) and the alert-router topology (evaluation).
 *
 * <ul>
 *   <li>{@link dev.vigil.rules.RuleCompiler}: entry point, prompt and/or condition to
 *       {@link dev.vigil.rules.CompiledRule} or {@link dev.vigil.rules.RuleException}.</li>
 *   <li>{@code record}: {@link dev.vigil.rules.record.NormalisedRecord}, the variables a condition sees,
 *       and the normaliser from the Avro index records.</li>
 *   <li>{@code cel}: the CEL environment, compilation with a cache, thread-safe
 *       {@link dev.vigil.rules.cel.Condition}s that never throw.</li>
 *   <li>{@code prompt}: the deterministic prompt compiler and its vocabulary.</li>
 *   <li>{@code judge}: the interface of an LLM judge for prompts outside the vocabulary.</li>
 * </ul>
 * See {@code rules/DESIGN.md} for the variables, the vocabulary and the evaluation semantics.
 */
package dev.vigil.rules;
