package io.agentgate.bench;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;

/**
 * The relay baseline: the simplest correct SSE servlet on bare Jetty. {@code GET /sse?chunks=N}
 * writes a role chunk, N content chunks (the same frames the fake upstream emits), a finish chunk
 * and {@code [DONE]}, flushing after every chunk as any SSE endpoint must. What it reaches on this
 * box is what "relaying at wire speed" means here.
 */
final class BaselineSseServlet extends HttpServlet {

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int chunks = Integer.parseInt(req.getParameter("chunks") == null ? "1000" : req.getParameter("chunks"));
        String id = "chatcmpl-bare";
        String model = "bench-model";
        PrintWriter out = OpenAiChunks.open(resp, id, model);
        for (int i = 0; i < chunks; i++) {
            out.write(OpenAiChunks.content(id, model, OpenAiChunks.token(i)));
            out.flush();
        }
        OpenAiChunks.end(out, id, model, chunks);
    }
}
