package dev.vigil.rules.judge;

/** An {@link LlmJudge} could not give a verdict. */
public final class JudgeException extends Exception {

    private static final long serialVersionUID = 1L;

    public JudgeException(String message) {
        super(message);
    }

    public JudgeException(String message, Throwable cause) {
        super(message, cause);
    }
}
