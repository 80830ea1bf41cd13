package io.agentgate.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ArithmeticExpressionTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "1 + 2 * 3         | 7",
            "(1 + 2) * 3       | 9",
            "0.1 + 0.2         | 0.3",
            "10 / 4            | 2.5",
            "1 / 3             | 0.3333333333333333333333333333333333",
            "2 ^ 3 ^ 2         | 512",
            "-2 ^ 2            | -4",
            "(-2) ^ 2          | 4",
            "2 ^ -2            | 0.25",
            "17 % 5            | 2",
            "- - 3             | 3",
            "1.5e3 + 1         | 1501",
            "1000 * 1000       | 1000000",
    })
    void evaluates(String expression, String expected) {
        assertEquals(expected, ArithmeticExpression.format(ArithmeticExpression.evaluate(expression)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1 +", "(1 + 2", "1 / 0", "2 ^ 0.5", "2 ^ 100000", "abc", "1 2", "System.exit(0)"})
    void refuses(String expression) {
        assertThrows(RuntimeException.class, () -> ArithmeticExpression.evaluate(expression));
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "(".repeat(400) + "1" + ")".repeat(400);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ArithmeticExpression.evaluate(deep));
        assertTrue(e.getMessage().contains("nested too deeply"), e.getMessage());
    }

    @Test
    void calculatorToolReadsItsArgument() throws Exception {
        assertEquals("42", new CalculatorTool().execute(Json.createObjectBuilder().add("expression", "6*7").build()));
        assertThrows(IllegalArgumentException.class, () -> new CalculatorTool().execute(Json.createObjectBuilder().build()));
    }
}
