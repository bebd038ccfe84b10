package dev.workerpool.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import java.io.IOException;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What crosses the wire: a job as its submitter's id, its sequence number and its components; a result as the
 * job's sequence number and its value or error. A job or result whose components, value or error the reading
 * member cannot read (a class it lacks, or one whose deserialization throws) is read all the same, with what
 * went wrong in place of what could not be read: taking it from its queue has removed it, so it must still end
 * in a result. Both are {@link IdentifiedDataSerializable}, made by
 * {@link #FACTORY} without reflection; each component, value and error is written with Hazelcast's own
 * serializers ({@code writeObject}: built-in types, {@link java.io.Serializable}, compact records).
 */
final class Wire {
    /** Registered by {@link HazelcastBackend#configure}; every member of the cluster must register it. */
    static final int FACTORY_ID = 0x57_50_4F_4C; // "WPOL"
    private static final Logger LOG = Logger.getLogger(Wire.class.getName());
    static final DataSerializableFactory FACTORY = Wire::create;

    /**
     * The sequence number of the last result whose reading on this thread threw one of the virtual machine's errors
     * ({@link #readFailure} throws those on): the result is lost with the error, and its reader tells its
     * submitter ({@link #takeLostResult}). Per thread, so it needs no other guard.
     */
    private static final ThreadLocal<Long> LOST_RESULT = new ThreadLocal<>();
    /**
     * The job (its submitter and sequence number only) whose reading last threw, on this thread, one of the virtual
     * machine's errors ({@link #readFailure} throws those on), as {@link #LOST_RESULT} is for a result
     * ({@link #takeLostJob}). Per thread, so it needs no other guard.
     */
    private static final ThreadLocal<JobItem> LOST_JOB = new ThreadLocal<>();

    private static final int JOB = 1;
    private static final int RESULT = 2;
    private static final int SET_IF_PRESENT = 3;
    private static final int LOST = 4;

    private Wire() {
    }

    /**
     * How a member copies a result as its submitter would read it from a results queue, written and read by the
     * member's own serialization: a result whose job ran on its submitter's member is delivered in place, without
     * a cluster operation, and must still fail where a sent one would (a value that cannot be written or read)
     * and arrive as a copy. Returns null if the instance gives no access to its serialization, which takes
     * Hazelcast's internal API (an instance of another kind, or a version where that API moved): such a member
     * sends those results through the queue as any other. That is logged as {@code Wire}; a log that throws loses
     * its record, and is not thrown. Thread-safe; called as a pool starts.
     */
    static UnaryOperator<ResultItem> resultCopier(HazelcastInstance hz) {
        try {
            if (hz instanceof SerializationServiceSupport support) {
                SerializationService serialization = support.getSerializationService();
                UnaryOperator<ResultItem> copier = item -> serialization.toObject(serialization.toData(item));
                copier.apply(new ResultItem(0, null, null)); // fails here, not on a job's result
                return copier;
            }
        } catch (RuntimeException | LinkageError e) {
            // a log that throws loses the record, not the pool's start
            Uncaught.log(LOG, Level.FINE, "results of jobs run on their submitter's member go through its results "
                    + "queue: no access to the member's serialization", e);
        }
        return null;
    }

    private static IdentifiedDataSerializable create(int classId) {
        return switch (classId) {
            case JOB -> new JobItem();
            case RESULT -> new ResultItem();
            case SET_IF_PRESENT -> new SetIfPresent();
            case LOST -> ResultItem.lost(0, null);
            default -> null;
        };
    }

    /** One submitted job: {@code submitter}/{@code seq} is its id, unique in the cluster. */
    static final class JobItem implements IdentifiedDataSerializable {
        String submitter;
        long seq;
        Object[] components;
        /** Why this member could not read the components (a class it lacks, or one that refuses), or null. */
        Throwable unreadable;

        JobItem() {
        }

        JobItem(String submitter, long seq, Object[] components) {
            this.submitter = submitter;
            this.seq = seq;
            this.components = components;
        }

        String id() {
            return submitter + '/' + seq;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(submitter);
            out.writeLong(seq);
            out.writeInt(components.length);
            for (Object component : components) {
                out.writeObject(component);
            }
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            submitter = in.readString();
            seq = in.readLong();
            components = new Object[in.readInt()];
            try {
                for (int i = 0; i < components.length; i++) {
                    components[i] = in.readObject();
                }
            } catch (Throwable e) { // the job is taken all the same: it gets an error result
                LOST_JOB.set(this); // kept only if readFailure throws e on: the job is then not read
                unreadable = readFailure(e);
                LOST_JOB.remove();
            }
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return JOB;
        }
    }

    /**
     * What reading an item failed on: anything from a missing class ({@link NoClassDefFoundError} included)
     * to a deserialization that throws; the virtual machine's own errors (out of memory), except a stack
     * overflow, are not the item's and are thrown on.
     */
    static Throwable readFailure(Throwable e) {
        if (e instanceof VirtualMachineError && !(e instanceof StackOverflowError)) {
            throw (VirtualMachineError) e;
        }
        return e;
    }

    /**
     * The sequence number of the result whose reading last threw, on this thread, an error that {@link #readFailure}
     * throws on (the result is lost with it), or null if none did since the last call; forgets it. On any thread,
     * for its own readings.
     */
    static Long takeLostResult() {
        Long seq = LOST_RESULT.get();
        LOST_RESULT.remove();
        return seq;
    }

    /**
     * The job whose reading last threw, on this thread, an error that {@link #readFailure} throws on, with only its
     * submitter and sequence number read, or null if none did since the last call; forgets it. On any thread, for its
     * own readings.
     */
    static JobItem takeLostJob() {
        JobItem item = LOST_JOB.get();
        LOST_JOB.remove();
        return item;
    }

    /** Changes a map entry's value only if the entry is there: a submitter's state, never its registration. */
    static final class SetIfPresent implements EntryProcessor<String, String, Object>, IdentifiedDataSerializable {
        private static final long serialVersionUID = 1L;
        private String value;

        SetIfPresent() {
        }

        SetIfPresent(String value) {
            this.value = value;
        }

        @Override
        public Object process(Map.Entry<String, String> entry) {
            if (entry.getValue() != null) {
                entry.setValue(value);
            }
            return null;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeString(value);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            value = in.readString();
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return SET_IF_PRESENT;
        }
    }

    /**
     * One job's outcome, on its way to the submitter's results queue. A read one whose value or error could not be
     * read has neither: {@link #errorFor} gives its error, which names the pool. Or, if {@link #lost}, no outcome but
     * a loss notice: the member that took the job lost it (its reading, or its result's sending, threw one of the
     * JVM's errors), and tells the submitter, which counts the loss with the job's failed deliveries and looks for
     * the job at once ({@link SubmitterState#lostElsewhere}); its error says what was lost, and how.
     */
    static final class ResultItem implements IdentifiedDataSerializable {
        long seq;
        Object value;
        Throwable error;
        /** Why the submitting member could not read the value or error (a class it lacks, say), or null. */
        Throwable unreadable;
        /** Whether this is a loss notice rather than the job's outcome (its own class id on the wire). */
        boolean lost;

        ResultItem() {
        }

        ResultItem(long seq, Object value, Throwable error) {
            this.seq = seq;
            this.value = value;
            this.error = error;
        }

        /** A loss notice of job {@code seq}, whose error {@code what} says what was lost, and how. */
        static ResultItem lost(long seq, Throwable what) {
            ResultItem notice = new ResultItem(seq, null, what);
            notice.lost = true;
            return notice;
        }

        @Override
        public void writeData(ObjectDataOutput out) throws IOException {
            out.writeLong(seq);
            out.writeObject(value);
            out.writeObject(error);
        }

        @Override
        public void readData(ObjectDataInput in) throws IOException {
            seq = in.readLong();
            try {
                value = in.readObject();
                error = in.readObject();
            } catch (Throwable e) { // the result is taken all the same: errorFor reports this
                LOST_RESULT.set(seq); // kept only if readFailure throws e on: the result is then lost
                unreadable = readFailure(e);
                LOST_RESULT.remove();
                value = null;
                error = null;
            }
        }

        /**
         * The job's error, as its result in pool {@code pool} carries it: the error read, or a
         * {@link RemoteJobException} naming the pool if the value or error could not be read; null for a value.
         */
        Throwable errorFor(String pool) {
            Throwable e = unreadable;
            if (e == null) {
                return error;
            }
            return new RemoteJobException(pool + ": the job's result could not be read on the submitting member: "
                    + e, e.getClass().getName(), e.getStackTrace());
        }

        @Override
        public int getFactoryId() {
            return FACTORY_ID;
        }

        @Override
        public int getClassId() {
            return lost ? LOST : RESULT;
        }
    }
}
