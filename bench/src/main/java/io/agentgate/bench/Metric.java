package io.agentgate.bench;

/**
 * One key of {@code latest.json} and one row of {@code latest.md}. {@code value} is what the key
 * holds (null when it could not be measured, then {@code note} says why); {@code baseline} and
 * {@code agentgate} are the two measured sides as shown in the table.
 */
record Metric(String key, String scenario, String baseline, String agentgate, Double value, String comparison,
              Goal goal, String note) {

    /** The key's goal: {@code value <= target} or {@code value >= target}. */
    record Goal(String op, double target, String unit) {
        static Goal atMost(double target, String unit) {
            return new Goal("<=", target, unit);
        }

        static Goal atLeast(double target, String unit) {
            return new Goal(">=", target, unit);
        }

        /** A figure reported for context (an absolute rate, a CPU cost): no goal of its own. */
        static Goal none(String unit) {
            return new Goal("", 0, unit);
        }

        boolean isNone() {
            return op.isEmpty();
        }

        boolean met(double value) {
            return op.equals("<=") ? value <= target : value >= target;
        }

        @Override
        public String toString() {
            if (isNone()) {
                return "—";
            }
            return (op.equals("<=") ? "≤ " : "≥ ") + Format.number(target) + (unit.isEmpty() ? "" : " " + unit);
        }
    }

    static Metric unmeasured(String key, String scenario, Goal goal, String reason) {
        return new Metric(key, scenario, "—", "—", null, "—", goal, reason);
    }

    Boolean met() {
        return value == null || goal.isNone() ? null : goal.met(value);
    }
}
