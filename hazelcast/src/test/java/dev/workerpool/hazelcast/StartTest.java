package dev.workerpool.hazelcast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What {@code start} refuses, and how, on a one-member cluster; and members that cannot form a cluster. */
class StartTest {
    private static HazelcastBackend backend;

    @BeforeAll
    static void startMember() {
        int port = MemberProcesses.freePort();
        backend = HazelcastBackend.builder().cluster("wp-start-" + port).address("127.0.0.1", port).start();
    }

    @AfterAll
    static void stopMember() {
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void aParameterThatCannotBeSentFailsStartNamingItsType() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnsendableSizePool.start(backend));
        assertTrue(e.getMessage().startsWith("UnsendableSizePool: parameter 'file' of type java.nio.file.Path "
                + "cannot be sent to other members"), e.getMessage());
    }

    @Test
    void aReturnTypeThatCannotBeSentFailsStartNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> UnsendableThreadPool.start(backend));
        assertTrue(e.getMessage().startsWith("UnsendableThreadPool: the return type java.lang.Thread cannot be sent"),
                e.getMessage());
    }

    @Test
    void orderedAndTimeoutAreRejectedWithAClearMessage() {
        IllegalArgumentException ordered = assertThrows(IllegalArgumentException.class,
                () -> UnsendableOrderedPool.start(backend));
        assertTrue(ordered.getMessage().contains("ordered results are not supported across members"),
                ordered.getMessage());
        IllegalArgumentException timed = assertThrows(IllegalArgumentException.class,
                () -> UnsendableTimedPool.start(backend));
        assertTrue(timed.getMessage().contains("a job timeout is not supported across members"), timed.getMessage());
    }

    @Test
    void recordsOfSendableComponentsTravelAndBufferZeroIsServedAsOne() throws Exception {
        UnsendableMovePool pool = UnsendableMovePool.start(backend);
        List<UnsendableMovePool.Result> results = new ArrayList<>();
        Thread reader = new Thread(() -> pool.results().forEach(results::add));
        reader.start();
        for (int i = 0; i < 20; i++) {
            pool.submit(new Unsendable.Point(i, "p" + i), 1);
        }
        pool.close();
        reader.join(60_000);
        assertTrue(pool.await(Duration.ofSeconds(30)));
        assertEquals(20, results.size());
        for (UnsendableMovePool.Result r : results) {
            assertEquals(new Unsendable.Point(r.job().p().x() + 1, r.job().p().label()), r.getOrThrow());
        }
    }

    @Test
    void aTakenPortFailsStartNamingTheAddressPromptly() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            long start = System.nanoTime();
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> HazelcastBackend.builder()
                    .cluster("wp-taken").address("127.0.0.1", taken.getLocalPort())
                    .timeout(Duration.ofSeconds(20)).start());
            assertTrue(e.getMessage().contains("127.0.0.1:" + taken.getLocalPort()), e.getMessage());
            assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "bounded");
        }
    }

    @Test
    void aClusterThatCannotFormFailsStartNamingTheAddressesWithinItsTimeout() {
        int port = MemberProcesses.freePort();
        int nobody = MemberProcesses.freePort();
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> HazelcastBackend.builder()
                .cluster("wp-alone-" + port).address("127.0.0.1", port)
                .members("127.0.0.1:" + port, "127.0.0.1:" + nobody)
                .minMembers(2).timeout(Duration.ofSeconds(8)).start());
        assertTrue(e.getMessage().contains("127.0.0.1:" + nobody), e.getMessage());
        assertTrue(e.getMessage().contains("1 of 2 members"), e.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 30, "bounded");
    }
}
