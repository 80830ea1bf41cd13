package io.agentgate.session;

/**
 * What the start-up suspension did ({@link SessionService#suspendAtStartup()}).
 *
 * @param othersLive number of other live instances on the database; 0 means this instance is alone
 *                   (the window rule applied)
 * @param abandoned  sessions whose lease was abandoned: in flight on this instance's previous life, or
 *                   expired with no live owner (suspended, lease cleared)
 * @param recent     sessions suspended by the window rule (only when alone)
 */
public record StartupSuspension(int othersLive, int abandoned, int recent) {

    public boolean alone() {
        return othersLive == 0;
    }

    public int suspended() {
        return abandoned + recent;
    }
}
