package io.agentgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * N streams started together against one URI. Bounded: waits at most {@code timeoutMs} for all of
 * them to end.
 */
final class Batch {

    record Outcome(List<Exchange> streams, long elapsedNanos, boolean timedOut) {

        List<Exchange> ok() {
            return streams.stream().filter(s -> s.ok(true)).toList();
        }

        long contentChunks() {
            return streams.stream().mapToLong(s -> s.contentFrames).sum();
        }

        double chunksPerSecond() {
            return contentChunks() / (elapsedNanos / 1e9);
        }

        String failureSummary() {
            long failed = streams.size() - ok().size();
            if (failed == 0 && !timedOut) {
                return "";
            }
            Exchange first = streams.stream().filter(s -> !s.ok(true)).findFirst().orElse(null);
            return failed + " of " + streams.size() + " streams failed" + (timedOut ? " (timed out)" : "")
                    + (first == null ? "" : "; first: " + first.describeFailure());
        }
    }

    private Batch() {}

    static Outcome run(LoadClient client, URI uri, String json, int streams, int keepFrames, long timeoutMs)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(streams);
        List<Exchange> all = new ArrayList<>(streams);
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            Exchange s = new Exchange(System.nanoTime(), done, keepFrames);
            all.add(s);
            client.stream(uri, json, s);
        }
        boolean finished = done.await(timeoutMs, TimeUnit.MILLISECONDS);
        return new Outcome(all, System.nanoTime() - start, !finished);
    }

    static String chatBody(String model, Directive directive) {
        return chatBody(model, directive, true);
    }

    static String chatBody(String model, Directive directive, boolean stream) {
        return "{\"model\":\"" + model + "\",\"stream\":" + stream + ",\"messages\":[{\"role\":\"user\",\"content\":\""
                + directive.prompt() + "\"}]}";
    }
}
