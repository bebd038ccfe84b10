package dev.workerpool.hazelcast;

import com.hazelcast.map.IMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What one member's part of a pool knows of the pool's submitters, on every member: each one's state as last heard
 * ({@code open:<member>} or {@code cancelled:<member>}, from the map of submitters {@code workerpool.N.submitters}),
 * and which ones it has heard are gone ({@link GoneSubmitters}). A worker looks a taken job's submitter up here
 * before it runs the job, while it retries it, and before it sends its result; the engine's listener on the map of
 * submitters keeps it current.
 *
 * <p>Thread-safe: the states are a concurrent map, written by the listener (Hazelcast's event thread) and by the
 * threads that read a state from the map ({@link #stateOf}, the start); read by the workers and the sender. A
 * submitter is marked gone before it leaves the states, and one read from the map is taken out again if it was
 * heard gone meanwhile, so no ended submitter stays in the states. {@link #pruneGone} is called by one thread at a
 * time (the maintenance thread).
 */
final class SubmitterView {
    /** A submitter's state while it is open, followed by its member's id. */
    static final String OPEN = "open:";
    /** A submitter's state once it has cancelled, followed by its member's id. */
    static final String CANCELLED = "cancelled:";

    /** Whether a submitter's state in the map of submitters says it was registered from member {@code member}. */
    static boolean registeredOn(String state, String member) {
        return state != null && state.endsWith(":" + member); // OPEN or CANCELLED, then the member's id
    }

    private final IMap<String, String> submitters;
    /** Submitters' states as this member last heard: {@code open:<member>} or {@code cancelled:<member>}. */
    private final ConcurrentHashMap<String, String> states = new ConcurrentHashMap<>();
    private final GoneSubmitters gone = new GoneSubmitters();

    /** A view of the pool's map of submitters {@code submitters}, empty until it hears of one. */
    SubmitterView(IMap<String, String> submitters) {
        this.submitters = submitters;
    }

    /**
     * A submitter's state, or null if it is gone: as last heard, else read from the map (one operation), which a
     * submitter registers in before its first job, and remembered (or the submitter marked gone, if not there).
     */
    String stateOf(String submitter) {
        String state = states.get(submitter);
        if (state != null || gone.contains(submitter)) {
            return state;
        }
        state = submitters.get(submitter); // registered before its first job; this member has not heard yet
        if (state == null) {
            gone.add(submitter, System.nanoTime());
        } else {
            remember(submitter, state);
        }
        return state;
    }

    /**
     * Puts a submitter's state, read from the map, in the states unless an event put a newer one there; if the
     * submitter was heard gone meanwhile (the listener marks it gone before it takes it out of the states), takes
     * it out again, so that no ended submitter stays in the states.
     */
    void remember(String submitter, String state) {
        states.putIfAbsent(submitter, state);
        if (gone.contains(submitter)) {
            states.remove(submitter, state);
        }
    }

    /** Records {@code state} as {@code submitter}'s, heard from the map's listener: it replaces what was known. */
    void heard(String submitter, String state) {
        states.put(submitter, state);
    }

    /** Records that {@code submitter} is gone, heard from the map's listener: marked gone, then out of the states. */
    void heardGone(String submitter) {
        gone.add(submitter, System.nanoTime());
        states.remove(submitter);
    }

    /** Whether {@code submitter} is known to have cancelled. */
    boolean isCancelled(String submitter) {
        String state = states.get(submitter);
        return state != null && state.startsWith(CANCELLED);
    }

    /** Whether this member has heard that {@code submitter} is gone (and not forgotten it since). */
    boolean isGone(String submitter) {
        return gone.contains(submitter);
    }

    /**
     * Whether results may be sent to {@code submitter}: this member has heard of it and has not heard it is gone
     * (one forgotten as gone is not in the states either).
     */
    boolean mayReceive(String submitter) {
        return states.containsKey(submitter) && !gone.contains(submitter);
    }

    /** Forgets long-gone submitters if there are many ({@link GoneSubmitters#prune}). One thread at a time. */
    void pruneGone() {
        gone.prune(System.nanoTime());
    }
}
