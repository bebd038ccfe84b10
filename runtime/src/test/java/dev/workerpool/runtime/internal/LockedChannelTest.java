package dev.workerpool.runtime.internal;

/** {@link ChannelTest}'s contract against the lock-based channel, at every capacity. */
class LockedChannelTest extends ChannelTest {
    @Override
    boolean ring() {
        return false;
    }
}
