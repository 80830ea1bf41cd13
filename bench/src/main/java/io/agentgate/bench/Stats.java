package io.agentgate.bench;

import java.util.Arrays;

/** Percentiles over recorded samples (nearest-rank: p99 of 1000 samples is the 990th smallest). */
final class Stats {

    private Stats() {}

    static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            return Double.NaN;
        }
        double[] sorted = samples.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static double median(double[] samples) {
        return percentile(samples, 50);
    }

    static double round(double value, int decimals) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double f = Math.pow(10, decimals);
        return Math.round(value * f) / f;
    }
}
