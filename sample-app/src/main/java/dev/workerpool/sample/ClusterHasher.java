package dev.workerpool.sample;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Hashes files for a pool spread over several JVMs ({@code hash --cluster} and {@code serve}): the same work as
 * {@link FileHasher}, with what can be sent between JVMs: a file by its absolute path (a {@link Path} cannot be
 * sent), its digest as a {@link FileSum} that names the member that computed it. Every member must see the files
 * at the same paths (one machine, or a shared disk).
 */
public final class ClusterHasher {
    private final FileHasher hasher = new FileHasher();
    private final String member;

    /**
     * A hasher whose sums name {@code member}.
     *
     * @param member this JVM's cluster address, as {@code host:port}
     */
    public ClusterHasher(String member) {
        this.member = member;
    }

    /**
     * Reads a file and returns its SHA-256.
     *
     * @param file the file's absolute path
     * @return its digest, and who computed it
     * @throws IOException if it cannot be read; the pool reports it in that file's result, on the JVM that
     *     submitted it
     */
    @WorkerPool(workers = 4, buffer = 64)
    public FileSum sha256(String file) throws IOException {
        FileDigest digest = hasher.sha256(Path.of(file));
        return new FileSum(digest.bytes(), digest.hex(), member);
    }
}
