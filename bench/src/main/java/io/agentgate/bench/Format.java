package io.agentgate.bench;

import java.util.Locale;

/** Numbers as the results table shows them. */
final class Format {

    private Format() {}

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : Math.abs(v) >= 10 ? "%.1f" : "%.2f", v);
    }

    static String ms(double v) {
        return number(v) + " ms";
    }

    static String us(double v) {
        return number(v) + " µs";
    }

    static String signed(double v, String unit) {
        return (v >= 0 ? "+" : "") + number(v) + " " + unit;
    }

    /** An exception as one short line: Jetty's toString of a connection runs to a kilobyte. */
    static String brief(Throwable t) {
        String text = t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
        return text.length() <= 160 ? text : text.substring(0, 157) + "...";
    }
}
