package io.agentgate.bench;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * N streams started together against one URI, each recording its time to first content chunk and
 * its content chunk count. Bounded: waits at most {@code timeoutMs} for all of them to end.
 */
final class Batch {

    /** One stream's view: the request's start, the first content chunk, the number of content chunks. */
    static final class Stream implements SseListener {
        final long startNanos = System.nanoTime();
        final CountDownLatch done;
        volatile long firstContentNanos;
        volatile long contentChunks;
        volatile int status;
        volatile Throwable failure;

        Stream(CountDownLatch done) {
            this.done = done;
        }

        @Override
        public void onData(byte[] line, int from, int to) {
            if (SseParser.hasContent(line, from, to)) {
                if (firstContentNanos == 0) {
                    firstContentNanos = System.nanoTime();
                }
                contentChunks++;
            }
        }

        @Override
        public void onEnd(int status, Throwable failure) {
            this.status = status;
            this.failure = failure;
            done.countDown();
        }

        boolean ok() {
            return failure == null && status == 200 && firstContentNanos != 0;
        }

        double ttftMs() {
            return (firstContentNanos - startNanos) / 1e6;
        }
    }

    record Outcome(List<Stream> streams, long elapsedNanos, boolean timedOut) {

        List<Stream> ok() {
            return streams.stream().filter(Stream::ok).toList();
        }

        double[] ttftMs() {
            return ok().stream().mapToDouble(Stream::ttftMs).toArray();
        }

        long contentChunks() {
            return streams.stream().mapToLong(s -> s.contentChunks).sum();
        }

        double chunksPerSecond() {
            return contentChunks() / (elapsedNanos / 1e9);
        }

        String failureSummary() {
            long failed = streams.size() - ok().size();
            if (failed == 0 && !timedOut) {
                return "";
            }
            Stream first = streams.stream().filter(s -> !s.ok()).findFirst().orElse(null);
            return failed + " of " + streams.size() + " streams failed" + (timedOut ? " (timed out)" : "")
                    + (first == null ? "" : "; first: status " + first.status + " "
                    + (first.failure == null ? "no content" : Format.brief(first.failure)));
        }
    }

    private Batch() {}

    static Outcome run(LoadClient client, URI uri, String json, int streams, long timeoutMs)
            throws InterruptedException {
        CountDownLatch done = new CountDownLatch(streams);
        List<Stream> all = new ArrayList<>(streams);
        long start = System.nanoTime();
        for (int i = 0; i < streams; i++) {
            Stream s = new Stream(done);
            all.add(s);
            client.stream(uri, json, s);
        }
        boolean finished = done.await(timeoutMs, TimeUnit.MILLISECONDS);
        return new Outcome(all, System.nanoTime() - start, !finished);
    }

    static String chatBody(String model, Directive directive) {
        return "{\"model\":\"" + model + "\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\""
                + directive.prompt() + "\"}]}";
    }
}
