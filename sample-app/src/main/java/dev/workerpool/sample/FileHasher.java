package dev.workerpool.sample;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hashes files; {@code FileHasherSha256Pool} runs it on several threads. Stateless, so one instance serves every
 * worker.
 */
public final class FileHasher {

    /**
     * Reads a file and returns its SHA-256.
     *
     * @param file the file to read
     * @return its digest
     * @throws IOException if it cannot be read; the pool reports it in that file's result
     */
    @WorkerPool(workers = 4, buffer = 64)
    public FileDigest sha256(Path file) throws IOException {
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
        byte[] buffer = new byte[64 * 1024];
        long bytes = 0;
        try (InputStream in = Files.newInputStream(file)) {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                digest.update(buffer, 0, n);
                bytes += n;
            }
        }
        return new FileDigest(file, bytes, HexFormat.of().formatHex(digest.digest()));
    }

    /**
     * {@link #sha256}, in a pool that hands the results out in the order the files were submitted
     * ({@code hash --ordered}): its results wait, in a window of {@code workers + buffer}, for the earlier ones.
     *
     * @param file the file to read
     * @return its digest
     * @throws IOException if it cannot be read; the pool reports it in that file's result
     */
    @WorkerPool(workers = 4, buffer = 64, ordered = true)
    public FileDigest sha256InOrder(Path file) throws IOException {
        return sha256(file);
    }
}
