package dev.workerpool.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordingFile;

/**
 * A Flight Recorder recording around a contender, so that what the pool's events cost while a recording is on
 * can be measured in the same JVM as the same contender without one. A contender name may end in
 * <ul>
 *   <li>{@code @jfr}: a recording with the JDK's {@code default} settings, what {@code -XX:StartFlightRecording}
 *       starts. The {@code dev.workerpool.Job} event is enabled with its 10 ms threshold, so each job is timed
 *       by the event and trivial jobs are not committed; the {@code dev.workerpool.PoolStats} event is emitted
 *       every second;</li>
 *   <li>{@code @jfr-every-job}: the same with the job event's threshold at 0, so that every job is committed
 *       (what {@code +dev.workerpool.Job#threshold=0ms} asks for);</li>
 *   <li>{@code @jfr-no-job-events}: the {@code default} settings with the job event disabled, the periodic
 *       {@code PoolStats} event still on: what a recording costs a pool whose user turned the job event off.</li>
 * </ul>
 * The caller starts the recording before its clock starts and closes it after the clock stops
 * ({@link Alternating}, {@link HandOffBenchmark}): starting the recorder the first time takes a large fraction
 * of a second and would otherwise be timed. Like a command-line recording, it writes its chunks to the JDK's
 * disk repository (deleted when it is closed). Not thread-safe: one recording at a time, from the harness
 * thread.
 */
final class Recordings {

    private static final String JOB_EVENT = "dev.workerpool.Job";

    private Recordings() {}

    /** The contender without its recording suffix: what {@link Pools#run} runs. */
    static String contender(String name) {
        int at = name.indexOf('@');
        return at < 0 ? name : name.substring(0, at);
    }

    /**
     * Starts the recording the name asks for; null if it asks for none.
     *
     * @throws IllegalArgumentException if the suffix is not one of those above
     */
    static Recording start(String name) {
        int at = name.indexOf('@');
        if (at < 0) {
            return null;
        }
        String kind = name.substring(at + 1);
        if (!kind.equals("jfr") && !kind.equals("jfr-every-job") && !kind.equals("jfr-no-job-events")) {
            throw new IllegalArgumentException(
                    name + ": the recording suffix is @jfr, @jfr-every-job or @jfr-no-job-events, not @" + kind);
        }
        Recording recording;
        try {
            recording = new Recording(Configuration.getConfiguration("default"));
        } catch (IOException | ParseException e) {
            throw new IllegalStateException("the JDK's default Flight Recorder configuration did not load", e);
        }
        recording.setName(name);
        if (kind.equals("jfr-every-job")) {
            recording.enable(JOB_EVENT).withThreshold(Duration.ZERO);
        } else if (kind.equals("jfr-no-job-events")) {
            recording.disable(JOB_EVENT);
        }
        recording.start();
        return recording;
    }

    /** Stops and discards a recording that {@link #start} started (nothing if null). */
    static void stop(Recording recording) {
        if (recording != null) {
            recording.close();
        }
    }

    /**
     * Stops the recording and counts the job events it holds: for tests, to prove that {@code @jfr-every-job}
     * records every job, {@code @jfr} none of the trivial ones and {@code @jfr-no-job-events} none at all.
     * Closes the recording.
     */
    static long stopAndCountJobEvents(Recording recording) throws IOException {
        recording.stop();
        Path file = Files.createTempFile("workerpool-bench", ".jfr");
        try {
            recording.dump(file);
            return RecordingFile.readAllEvents(file).stream()
                    .filter(e -> e.getEventType().getName().equals(JOB_EVENT))
                    .count();
        } finally {
            recording.close();
            Files.deleteIfExists(file);
        }
    }
}
