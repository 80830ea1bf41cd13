package io.agentgate.testing;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A {@link FakeUpstream} and a {@link TestGateway} pointed at it, shared by one test class as a
 * JUnit extension: started before all tests, reset before each (scripts, recorded requests, the
 * gateway's recording tool, the runs table), closed after all.
 *
 * <pre>
 * &#64;RegisterExtension
 * static final FakeUpstreamGateway env = FakeUpstreamGateway.withSettings(Map.of("AGENTGATE_MAX_ITERATIONS", "2"));
 * </pre>
 */
public final class FakeUpstreamGateway implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {

    private final Map<String, String> extraSettings;
    private FakeUpstream upstream;
    private TestGateway gateway;

    private FakeUpstreamGateway(Map<String, String> extraSettings) {
        this.extraSettings = Map.copyOf(extraSettings);
    }

    /** {@code extraSettings} are added to (or override) the settings that point at the upstream. */
    public static FakeUpstreamGateway withSettings(Map<String, String> extraSettings) {
        return new FakeUpstreamGateway(extraSettings);
    }

    public FakeUpstream upstream() {
        return upstream;
    }

    public TestGateway gateway() {
        return gateway;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        upstream = FakeUpstream.start();
        Map<String, String> settings = new HashMap<>(upstream.gatewaySettings());
        settings.putAll(extraSettings);
        gateway = TestGateway.start(settings);
    }

    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        upstream.reset();
        gateway.recordingTool().reset();
        RunsTable.clear(gateway);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        gateway.close();
        upstream.close();
    }
}
