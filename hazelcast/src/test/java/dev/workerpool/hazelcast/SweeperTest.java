package dev.workerpool.hazelcast;

import static dev.workerpool.hazelcast.StartTest.awaitTrue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.cluster.Cluster;
import com.hazelcast.core.DistributedObject;
import com.hazelcast.core.DistributedObjectEvent;
import com.hazelcast.core.DistributedObjectListener;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.LifecycleService;
import com.hazelcast.map.IMap;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ResultsQueueSweeper}: what it takes for a results queue, and a queue made on another member. */
class SweeperTest {

    @AfterEach
    void resetHooks() {
        EngineHooks.reset();
    }

    @Test
    void onlyAPoolsResultsQueueWithASubmitterIdIsOne() {
        String id = UUID.randomUUID().toString();
        assertEquals(id, ResultsQueueSweeper.submitterOf("workerpool.Pool.results." + id));
        assertEquals(id, ResultsQueueSweeper.submitterOf("workerpool.a.results.b.results." + id));
        assertNull(ResultsQueueSweeper.submitterOf("workerpool.a.results.b.jobs"), "pool a.results.b's jobs");
        assertNull(ResultsQueueSweeper.submitterOf("workerpool.Pool.jobs"));
        assertNull(ResultsQueueSweeper.submitterOf("workerpool.Pool.results."));
        assertNull(ResultsQueueSweeper.submitterOf("workerpool.Pool.results.not-an-id"));
        assertNull(ResultsQueueSweeper.submitterOf("workerpool.results." + id), "no pool name");
        assertNull(ResultsQueueSweeper.submitterOf("other.Pool.results." + id));
    }

    /**
     * A member whose submitter was registered dies where no pool runs (only a backend is open on the survivor): the
     * survivor's sweeper deregisters it and destroys its results queue, and leaves a live submitter's alone.
     */
    @Test
    @Timeout(180)
    void aDeadMembersSubmitterIsForgottenAndItsQueueDestroyedAlsoWhereNoPoolRuns() {
        withTwoMembers("wp-dead-", (a, b) -> {
            String map = "workerpool.Died.submitters";
            String prefix = "workerpool.Died.results.";
            String dead = UUID.randomUUID().toString();
            String live = UUID.randomUUID().toString();
            // as a pool's start on each member registers its submitter, then makes its results queue
            b.<String, String>getMap(map).set(dead, "open:" + b.getCluster().getLocalMember().getUuid());
            b.getQueue(prefix + dead).add("unread");
            a.<String, String>getMap(map).set(live, "open:" + a.getCluster().getLocalMember().getUuid());
            a.getQueue(prefix + live).add("unread");
            awaitTrue(() -> names(a).containsAll(List.of(map, prefix + dead, prefix + live)),
                    "the survivor has heard of the map and both queues");
            b.getLifecycleService().terminate(); // dies: no pool anywhere cleans up after it
            awaitTrue(() -> a.getCluster().getMembers().size() == 1, "the survivor sees it gone");
            awaitTrue(() -> !a.getMap(map).containsKey(dead) && !names(a).contains(prefix + dead),
                    "the dead member's submitter is deregistered and its results queue destroyed");
            assertTrue(a.getMap(map).containsKey(live), "the live submitter stays registered");
            assertEquals(1, a.getQueue(prefix + live).size(), "and keeps its queue and item");
        });
    }

    /**
     * A late send on a member with no backend (no sweeper of its own) makes a gone submitter's results queue: the
     * other member hears of it, and its sweeper destroys it on both.
     */
    @Test
    @Timeout(180)
    void aQueueMadeOnAnotherMemberIsDestroyedOnEveryMemberIfItsSubmitterIsNotRegistered() {
        withTwoMembers("wp-sweep-", (a, b) -> {
            Map<String, Boolean> swept = new ConcurrentHashMap<>();
            EngineHooks.afterSweeping = (queue, destroyed) -> swept.merge(queue, destroyed, Boolean::logicalOr);
            String prefix = "workerpool.Swept.results.";
            String live = UUID.randomUUID().toString();
            String gone = UUID.randomUUID().toString();
            a.<String, String>getMap("workerpool.Swept.submitters").set(live, "open:" + a.getCluster()
                    .getLocalMember().getUuid()); // as a pool's start makes the map and registers
            b.getQueue(prefix + live).add("late");
            b.getQueue(prefix + gone).add("late");
            awaitTrue(() -> swept.containsKey(prefix + live) && swept.containsKey(prefix + gone),
                    "the backend's sweeper looked at both queues");
            assertEquals(Boolean.TRUE, swept.get(prefix + gone), "the unregistered submitter's queue is destroyed");
            assertEquals(Boolean.FALSE, swept.get(prefix + live), "the registered submitter's queue is kept");
            awaitTrue(() -> !names(a).contains(prefix + gone) && !names(b).contains(prefix + gone),
                    "the queue is gone from both members");
            assertTrue(names(a).contains(prefix + live) && names(b).contains(prefix + live));
            assertEquals(1, b.getQueue(prefix + live).size(), "the kept queue kept its item");
        });
    }

    /**
     * A member whose submitter had submitted to the pool's jobs queue dies where no pool runs, while the lock of the
     * pool's choice of jobs queue is held elsewhere: the survivor's sweeper forgets the submitter and goes on
     * sweeping (it does not wait for the lock), and checks the choice once the lock is free (no submitter is left:
     * the choice goes).
     */
    @Test
    @Timeout(180)
    void aSweeperThatCannotHaveTheChoicesLockGoesOnSweepingAndChecksTheChoiceOnceTheLockIsFree() {
        withTwoMembers("wp-locked-", (a, b) -> {
            String map = "workerpool.Locked.submitters";
            String placementMap = JobsPlacement.mapName("Locked");
            String queue = JobsPlacement.baseName("Locked") + "@0";
            String dead = UUID.randomUUID().toString();
            String submitting = JobsPlacement.SUBMITTING + dead;
            // as a pool's start on b registers its submitter, and its first submit picks the queue
            b.<String, String>getMap(map).set(dead, "open:" + b.getCluster().getLocalMember().getUuid());
            IMap<String, String> placement = b.getMap(placementMap);
            placement.set(JobsPlacement.KEY, queue);
            placement.set(submitting, queue);
            awaitTrue(() -> names(a).containsAll(List.of(map, placementMap)), "the survivor has heard of both maps");
            IMap<String, String> lockedMap = a.getMap(placementMap);
            lockedMap.lock(JobsPlacement.KEY, 120, TimeUnit.SECONDS); // held elsewhere: by this thread
            try {
                b.getLifecycleService().terminate();
                awaitTrue(() -> !a.getMap(map).containsKey(dead), "the sweeper forgets the dead member's submitter");
                String late = "workerpool.Locked.results." + UUID.randomUUID(); // a late send to a gone submitter's
                CountDownLatch swept = new CountDownLatch(1);
                EngineHooks.afterSweeping = (name, destroyed) -> {
                    if (name.equals(late) && destroyed) {
                        swept.countDown();
                    }
                };
                a.getQueue(late).add("late");
                // about 3 s (its delay); the sweeper's thread waited up to 30 s for the lock before the fix
                assertTrue(swept.await(15, TimeUnit.SECONDS), () -> "the sweeper did not sweep " + late
                        + " within 15 s while the choice's lock was held\n" + StartTest.threadDump());
                assertTrue(lockedMap.containsKey(submitting), "not checked while the lock is held");
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            } finally {
                lockedMap.unlock(JobsPlacement.KEY);
            }
            awaitTrue(() -> !lockedMap.containsKey(submitting) && !lockedMap.containsKey(JobsPlacement.KEY),
                    "the check, tried again once the lock is free, forgets the submitter and drops the choice");
        });
    }

    /**
     * A backend whose construction fails as its sweeper lists the member's structures (a member shutting down fails
     * there), or after the sweeper, as it registers its membership listener, leaves no listener registered and no
     * sweeper thread: every listener added to the member (a stand-in delegating to a plain member, failing that call)
     * is removed, and a results queue heard of afterwards starts no sweeper thread. Before the fix both listeners
     * stayed registered, and such an event started the sweeper's thread.
     */
    @Test
    @Timeout(180)
    void aBackendWhoseConstructionFailsLeavesNoListenerOrSweeperThreadBehind() {
        int port = MemberProcesses.freePort();
        HazelcastInstance plain = Hazelcast.newHazelcastInstance(HazelcastBackend.builder()
                .cluster("wp-failed-sweeper-" + port).address("127.0.0.1", port).config());
        try {
            for (String failing : List.of("getDistributedObjects", "addMembershipListener")) {
                Registrations registrations = new Registrations();
                HazelcastInstance standIn = registrations.standIn(plain, failing);
                RuntimeException e = assertThrows(RuntimeException.class, () -> HazelcastBackend.on(standIn));
                assertEquals("stand-in refuses " + failing, e.getMessage());
                assertEquals(registrations.added, registrations.removed, failing + ": every listener added is removed");
                assertEquals(2, registrations.added.size(), failing + ": the sweeper's two listeners were added");
                DistributedObjectListener sweeper = registrations.objectListener;
                String queue = "workerpool.Failed.results." + UUID.randomUUID();
                sweeper.distributedObjectCreated(new DistributedObjectEvent(DistributedObjectEvent.EventType.CREATED,
                        "hz:impl:queueService", queue, null, UUID.randomUUID()));
                String thread = "workerpool-sweeper-" + standIn.getName();
                assertTrue(Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals(thread)),
                        failing + ": the sweeper's timer is stopped: an event started no thread " + thread);
            }
        } finally {
            plain.getLifecycleService().terminate();
        }
    }

    /**
     * A stand-in for a member that records the distributed-object and lifecycle listeners added and removed, and
     * fails one call. For one test thread.
     */
    private static final class Registrations {
        final Set<UUID> added = new HashSet<>();
        final Set<UUID> removed = new HashSet<>();
        DistributedObjectListener objectListener;

        /** {@code member}, with its name prefixed {@code stand-in-}, whose method {@code failing} throws. */
        HazelcastInstance standIn(HazelcastInstance member, String failing) {
            LifecycleService lifecycle = member.getLifecycleService();
            LifecycleService recordingLifecycle = proxy(LifecycleService.class, (method, args) -> {
                Object out = method.invoke(lifecycle, args);
                if (method.getName().equals("addLifecycleListener")) {
                    added.add((UUID) out);
                } else if (method.getName().equals("removeLifecycleListener")) {
                    removed.add((UUID) args[0]);
                }
                return out;
            });
            Cluster cluster = member.getCluster();
            Cluster failingCluster = proxy(Cluster.class, (method, args) -> {
                if (method.getName().equals(failing)) {
                    throw new HazelcastException("stand-in refuses " + failing);
                }
                return method.invoke(cluster, args);
            });
            return proxy(HazelcastInstance.class, (method, args) -> {
                switch (method.getName()) {
                    case "getName" -> {
                        return "stand-in-" + member.getName();
                    }
                    case "getLifecycleService" -> {
                        return recordingLifecycle;
                    }
                    case "getCluster" -> {
                        return failingCluster;
                    }
                    case "addDistributedObjectListener" -> {
                        objectListener = (DistributedObjectListener) args[0];
                        UUID id = member.addDistributedObjectListener(objectListener);
                        added.add(id);
                        return id;
                    }
                    case "removeDistributedObjectListener" -> {
                        removed.add((UUID) args[0]);
                        return member.removeDistributedObjectListener((UUID) args[0]);
                    }
                    default -> {
                        if (method.getName().equals(failing)) {
                            throw new HazelcastException("stand-in refuses " + failing);
                        }
                        return method.invoke(member, args);
                    }
                }
            });
        }

        /** A call on a stand-in's interface. */
        private interface Call {
            Object invoke(java.lang.reflect.Method method, Object[] args) throws Exception;
        }

        private static <T> T proxy(Class<T> type, Call call) {
            return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                    (self, method, args) -> {
                        try {
                            return call.invoke(method, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    }));
        }
    }

    /** A test on two members in this JVM: {@code a} with a backend open, {@code b} a plain member (no sweeper). */
    private interface TwoMembers {
        void run(HazelcastInstance a, HazelcastInstance b);
    }

    private static void withTwoMembers(String clusterPrefix, TwoMembers test) {
        int portA = MemberProcesses.freePort();
        int portB = MemberProcesses.freePort();
        String cluster = clusterPrefix + portA;
        String[] members = {"127.0.0.1:" + portA, "127.0.0.1:" + portB};
        HazelcastBackend backend = HazelcastBackend.builder().cluster(cluster).address("127.0.0.1", portA)
                .members(members).start();
        HazelcastInstance plain = null;
        try {
            plain = Hazelcast.newHazelcastInstance(HazelcastBackend.builder().cluster(cluster)
                    .address("127.0.0.1", portB).members(members).config());
            HazelcastInstance a = backend.hazelcast();
            awaitTrue(() -> a.getCluster().getMembers().size() == 2, "the second member joins");
            test.run(a, plain);
        } finally {
            if (plain != null) {
                plain.getLifecycleService().terminate();
            }
            backend.close();
        }
    }

    private static List<String> names(HazelcastInstance member) {
        return member.getDistributedObjects().stream().map(DistributedObject::getName).toList();
    }
}
