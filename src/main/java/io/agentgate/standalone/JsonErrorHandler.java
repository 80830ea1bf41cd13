package io.agentgate.standalone;

import io.agentgate.api.ApiError;
import io.agentgate.api.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.ee10.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.MimeTypes;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's error pages in OpenAI's error shape, never HTML. What Jetty refuses before the
 * application sees the request (a request line or headers too long, a bad {@code %} escape,
 * control characters in a header) is written here from the status alone; inside the application
 * errors go to the gateway's own error page servlet ({@link #forContext}), as in a WAR's web.xml.
 */
final class JsonErrorHandler extends ErrorHandler {

    private static final HttpField JSON =
            new HttpField(HttpHeader.CONTENT_TYPE, MimeTypes.Type.APPLICATION_JSON_UTF_8.asString());

    /** Jetty writes error bodies for GET, POST and HEAD only by default; a JSON client uses every method. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(JSON);
        response.write(true, body(code), callback);
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return body(status);
    }

    /** The application's error handler: every error dispatched to {@code errorPage}, for every method. */
    static ErrorPageErrorHandler forContext(String errorPage) {
        ErrorPageErrorHandler handler = new ErrorPageErrorHandler() {
            @Override
            public boolean errorPageForMethod(String method) {
                return true;
            }
        };
        handler.addErrorPage(ErrorPageErrorHandler.GLOBAL_ERROR_PAGE, errorPage);
        return handler;
    }

    private static ByteBuffer body(int status) {
        String json = Json.write(ApiError.forStatus(status, ApiError.statusText(status)));
        return ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8));
    }
}
