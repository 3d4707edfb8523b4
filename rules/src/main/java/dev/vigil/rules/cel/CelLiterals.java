package dev.vigil.rules.cel;

/**
 * Writes Java values as CEL literals, so generated conditions stay valid whatever the user typed.
 */
public final class CelLiterals {

    private CelLiterals() {
    }

    /** A double-quoted CEL string literal for {@code value}, escaping quotes, backslashes and controls. */
    public static String string(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
