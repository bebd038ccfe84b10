package dev.workerpool.runtime.internal;

/**
 * Thrown by {@link Channel#send} and {@link Channel#trySend} when the channel is closed — Java's answer to
 * Go's "send on closed channel" panic. The item was not enqueued.
 */
final class ChannelClosedException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /** @param message says which channel, and why */
    ChannelClosedException(String message) {
        super(message);
    }
}
