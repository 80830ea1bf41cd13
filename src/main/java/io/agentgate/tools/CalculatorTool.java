package io.agentgate.tools;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;

/** {@code calculate}: exact decimal arithmetic, because models are unreliable at it. */
public final class CalculatorTool implements Tool {

    @Override
    public String name() {
        return "calculate";
    }

    @Override
    public String description() {
        return "Evaluates an arithmetic expression exactly and returns the number. Supports + - * / % ^, "
                + "parentheses, unary minus and decimals, e.g. (1.5 + 2) * 3^2 / 7.";
    }

    @Override
    public JsonObject parameters() {
        return Json.createObjectBuilder()
                .add("type", "object")
                .add("properties", Json.createObjectBuilder()
                        .add("expression", Json.createObjectBuilder()
                                .add("type", "string")
                                .add("description", "The arithmetic expression to evaluate")))
                .add("required", Json.createArrayBuilder().add("expression"))
                .build();
    }

    @Override
    public String execute(JsonObject arguments) {
        if (!(arguments.get("expression") instanceof JsonString expression)) {
            throw new IllegalArgumentException("'expression' (a string) is required");
        }
        return ArithmeticExpression.format(ArithmeticExpression.evaluate(expression.getString()));
    }
}
