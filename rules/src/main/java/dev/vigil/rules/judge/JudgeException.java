package dev.vigil.rules.judge;

/** An {@link LlmJudge} could not give a verdict. */
public final class JudgeException extends Exception {

    private static final long serialVersionUID = 1L;

    /** The reason when the judge names none. */
    public static final String UNSPECIFIED = "error";

    private final String reason;

    public JudgeException(String message) {
        this(UNSPECIFIED, message);
    }

    public JudgeException(String message, Throwable cause) {
        super(message, cause);
        this.reason = UNSPECIFIED;
    }

    /**
     * @param reason a short lower-case tag for metrics (e.g. {@code timeout}, {@code server_error},
     *               {@code budget_exhausted}), so callers can count failures by cause
     */
    public JudgeException(String reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** Why the judge gave no verdict, as a metrics tag. */
    public String reason() {
        return reason;
    }
}
