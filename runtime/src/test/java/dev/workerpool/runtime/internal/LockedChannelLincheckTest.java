package dev.workerpool.runtime.internal;

/** {@link ChannelLincheckTest}'s checks against the lock-based channel, at every capacity. */
public class LockedChannelLincheckTest extends ChannelLincheckTest {
    @Override
    boolean ring() {
        return false;
    }
}
