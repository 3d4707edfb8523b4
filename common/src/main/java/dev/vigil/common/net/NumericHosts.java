package dev.vigil.common.net;

import java.util.Locale;

/**
 * Reads a numeric host the way C's {@code inet_aton} does — the parser behind {@code getaddrinfo},
 * which FFmpeg and many HTTP clients use: one to four parts separated by dots, each decimal, octal
 * (leading {@code 0}) or hexadecimal ({@code 0x}), the last part filling the remaining bytes. So
 * {@code 2130706433}, {@code 0x7f.1}, {@code 127.1} and {@code 0177.0.0.1} all mean 127.0.0.1.
 * {@link UrlPolicy} refuses such spellings; this says in the refusal which address was meant.
 */
final class NumericHosts {

    private NumericHosts() {
    }

    /** The dotted-decimal address {@code host} stands for, or null if it is not an inet_aton number. */
    static String inetAton(String host) {
        String h = host.endsWith(".") ? host.substring(0, host.length() - 1) : host;
        String[] parts = h.split("\\.", -1);
        if (parts.length < 1 || parts.length > 4) {
            return null;
        }
        long[] values = new long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            Long v = number(parts[i]);
            if (v == null) {
                return null;
            }
            values[i] = v;
        }
        long address = 0;
        for (int i = 0; i < parts.length - 1; i++) {
            if (values[i] > 255) {
                return null;
            }
            address |= values[i] << (8 * (3 - i));
        }
        long last = values[parts.length - 1];
        int lastBytes = 4 - (parts.length - 1);
        if (last >= 1L << (8 * lastBytes)) {
            return null;
        }
        address |= last;
        return ((address >> 24) & 0xff) + "." + ((address >> 16) & 0xff) + "." + ((address >> 8) & 0xff) + "."
                + (address & 0xff);
    }

    private static Long number(String part) {
        String p = part.toLowerCase(Locale.ROOT);
        try {
            if (p.startsWith("0x")) {
                return p.length() == 2 ? 0L : Long.parseLong(p.substring(2), 16);
            }
            if (p.length() > 1 && p.startsWith("0")) {
                return Long.parseLong(p.substring(1), 8);
            }
            return p.isEmpty() ? null : Long.parseLong(p);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
