package dev.workerpool.runtime.internal;

/**
 * A pool's producer or reader, as the pool's other waiters see it ({@link LocalEngine#roomMayCome()},
 * {@link LocalEngine#resultsMayCome()}): the thread that came last to submit (to read), and whether it has yielded
 * in a wait since. The party writes these as it waits and comes back, often several times per job while items flow;
 * the workers read the pool's own fields at every job. So these sit on cache lines of their own
 * ({@link PartyFields}), apart from the pool's fields and from the other party's: were they on one line with the
 * pool's, each of those writes would make every worker fetch that line again.
 *
 * <p>Concurrency: {@link #came} and {@link #yielding} are called by the party's thread only; {@link #runs} and
 * {@link #yielded} by any thread. The party writes with release stores, and others read the volatile fields: a
 * reader sees each write soon, in order, but the party's thread does not wait for its earlier stores to drain, as
 * a volatile write's full fence would make it, once or twice per wait. Nothing depends on seeing a write at once:
 * what others read here only steers whether they yield or park (a {@link WaitSet} keeps them from missing a
 * wake-up either way).
 */
final class Party extends PartyFields.Fields {
    long e00, e01, e02, e03, e04, e05, e06, e07;
    long e08, e09, e10, e11, e12, e13, e14, e15;

    /** Records {@code me}, the calling thread, as the party, if it is a new one or back from a wait that yielded. */
    void came(Thread me) {
        if (thread != me) { // also after each wait that yielded (yielding cleared it): so both ways are compiled
            THREAD.lazySet(this, me);
            YIELDS.lazySet(this, 0);
        }
    }

    /** Called by the party's thread about to yield in a wait: it no longer counts as running for the others. */
    void yielding() {
        if (yields == 0) {
            YIELDS.lazySet(this, 1);
            THREAD.lazySet(this, null); // recorded again when it next comes, with the flag cleared: see came
        }
    }

    /** Whether the party has not yielded since it came, is not the caller, and runs or waits for a core. */
    boolean runs() {
        if (yields != 0) {
            return false;
        }
        Thread t = thread;
        return t != null && t != Thread.currentThread() && t.getState() == Thread.State.RUNNABLE;
    }

    /** Tests only: whether the party has yielded in a wait since it last came. */
    boolean yielded() {
        return yields != 0;
    }
}
