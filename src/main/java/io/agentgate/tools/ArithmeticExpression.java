package io.agentgate.tools;

import java.math.BigDecimal;
import java.math.MathContext;

/**
 * A recursive-descent evaluator for arithmetic in 34-digit decimal precision — no script engine,
 * so an expression can compute but never execute anything. Grammar (usual precedence, {@code ^}
 * right-associative and binding tighter than unary minus, as in mathematics: -2^2 = -4):
 * <pre>
 * expression = term { ("+" | "-") term }
 * term       = unary { ("*" | "/" | "%") unary }
 * unary      = ("-" | "+") unary | power
 * power      = primary [ "^" unary ]
 * primary    = number | "(" expression ")"
 * </pre>
 * Input length, nesting depth and exponents are bounded so a hostile expression cannot exhaust
 * the stack or the CPU.
 */
final class ArithmeticExpression {

    static final int MAX_LENGTH = 1_000;
    private static final int MAX_DEPTH = 100;
    private static final int MAX_EXPONENT = 10_000;
    private static final MathContext PRECISION = MathContext.DECIMAL128;

    private final String text;
    private int pos;
    private int depth;

    private ArithmeticExpression(String text) {
        this.text = text;
    }

    static BigDecimal evaluate(String expression) {
        if (expression.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("Expression longer than " + MAX_LENGTH + " characters");
        }
        ArithmeticExpression parser = new ArithmeticExpression(expression);
        BigDecimal value = parser.expression();
        parser.skipSpaces();
        if (parser.pos < expression.length()) {
            throw parser.error("Unexpected '" + expression.charAt(parser.pos) + "'");
        }
        return value.round(PRECISION).stripTrailingZeros();
    }

    /** Plain digits (1000, not 1E+3) unless the number is too large or small to read that way. */
    static String format(BigDecimal value) {
        int integerDigits = value.precision() - value.scale();
        return integerDigits > 40 || integerDigits < -20 ? value.toString() : value.toPlainString();
    }

    private BigDecimal expression() {
        BigDecimal value = term();
        while (true) {
            if (accept('+')) {
                value = value.add(term(), PRECISION);
            } else if (accept('-')) {
                value = value.subtract(term(), PRECISION);
            } else {
                return value;
            }
        }
    }

    private BigDecimal term() {
        BigDecimal value = unary();
        while (true) {
            if (accept('*')) {
                value = value.multiply(unary(), PRECISION);
            } else if (accept('/')) {
                value = value.divide(nonZero(unary()), PRECISION);
            } else if (accept('%')) {
                value = value.remainder(nonZero(unary()), PRECISION);
            } else {
                return value;
            }
        }
    }

    private BigDecimal unary() {
        enter();
        try {
            if (accept('-')) {
                return unary().negate();
            }
            if (accept('+')) {
                return unary();
            }
            return power();
        } finally {
            depth--;
        }
    }

    private BigDecimal power() {
        BigDecimal base = primary();
        if (!accept('^')) {
            return base;
        }
        BigDecimal exponent = unary();
        int n;
        try {
            n = exponent.intValueExact();
        } catch (ArithmeticException e) {
            throw error("Only whole-number exponents are supported");
        }
        if (Math.abs(n) > MAX_EXPONENT) {
            throw error("Exponent larger than " + MAX_EXPONENT);
        }
        if (n < 0) {
            return BigDecimal.ONE.divide(nonZero(base).pow(-n, PRECISION), PRECISION);
        }
        return base.pow(n, PRECISION);
    }

    private BigDecimal primary() {
        if (accept('(')) {
            enter();
            try {
                BigDecimal value = expression();
                if (!accept(')')) {
                    throw error("Missing ')'");
                }
                return value;
            } finally {
                depth--;
            }
        }
        return number();
    }

    private BigDecimal number() {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && (Character.isDigit(text.charAt(pos)) || text.charAt(pos) == '.')) {
            pos++;
        }
        if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E') && pos > start) {
            int mark = pos++;
            if (pos < text.length() && (text.charAt(pos) == '+' || text.charAt(pos) == '-')) {
                pos++;
            }
            int digits = pos;
            while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
                pos++;
            }
            if (pos == digits) {
                pos = mark;
            }
        }
        if (start == pos) {
            throw error(pos < text.length() ? "Unexpected '" + text.charAt(pos) + "'" : "Unexpected end of expression");
        }
        try {
            BigDecimal value = new BigDecimal(text.substring(start, pos));
            if (Math.abs(value.scale()) > MAX_EXPONENT) {
                throw error("Number out of range");
            }
            return value;
        } catch (NumberFormatException e) {
            throw error("Invalid number '" + text.substring(start, pos) + "'");
        }
    }

    private static BigDecimal nonZero(BigDecimal value) {
        if (value.signum() == 0) {
            throw new ArithmeticException("Division by zero");
        }
        return value;
    }

    private boolean accept(char c) {
        skipSpaces();
        if (pos < text.length() && text.charAt(pos) == c) {
            pos++;
            return true;
        }
        return false;
    }

    private void skipSpaces() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw error("Expression nested too deeply");
        }
    }

    private IllegalArgumentException error(String message) {
        return new IllegalArgumentException(message + " at position " + (pos + 1));
    }
}
