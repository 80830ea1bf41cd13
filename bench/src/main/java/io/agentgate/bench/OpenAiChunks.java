package io.agentgate.bench;

/**
 * OpenAI {@code chat.completion.chunk} frames as the fake upstream and the bare baseline servlet
 * write them. Built by concatenation (the tokens are plain ASCII) so the fake side spends as little
 * CPU as possible on the shared box.
 */
final class OpenAiChunks {

    static final String DONE = "data: [DONE]\n\n";

    private OpenAiChunks() {}

    /** Sets the SSE headers, writes and flushes the role chunk; the caller writes the rest. */
    static java.io.PrintWriter open(jakarta.servlet.http.HttpServletResponse resp, String id, String model)
            throws java.io.IOException {
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        java.io.PrintWriter out = resp.getWriter();
        out.write(role(id, model));
        out.flush();
        return out;
    }

    /** The finish chunk with usage and {@code [DONE]}, flushed. */
    static void end(java.io.PrintWriter out, String id, String model, int completionTokens) {
        out.write(finish(id, model, 3, completionTokens));
        out.write(DONE);
        out.flush();
    }

    static String role(String id, String model) {
        return frame(id, model, "{\"role\":\"assistant\",\"content\":\"\"}", "null");
    }

    static String content(String id, String model, String token) {
        return frame(id, model, "{\"content\":\"" + token + "\"}", "null");
    }

    static String finish(String id, String model, int promptTokens, int completionTokens) {
        return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
                + promptTokens + ",\"completion_tokens\":" + completionTokens + ",\"total_tokens\":"
                + (promptTokens + completionTokens) + "}}\n\n";
    }

    /** The i-th token of a reply: a short word, like a real tokenizer's output. */
    static String token(int i) {
        return i == 0 ? "tok0" : " tok" + (i % 1000);
    }

    private static String frame(String id, String model, String delta, String finishReason) {
        return "data: {\"id\":\"" + id + "\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"" + model
                + "\",\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finishReason + "}]}\n\n";
    }
}
