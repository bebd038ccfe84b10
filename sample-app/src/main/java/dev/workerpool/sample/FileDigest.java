package dev.workerpool.sample;

import java.nio.file.Path;

/**
 * The SHA-256 of one file.
 *
 * @param file  the file
 * @param bytes how many bytes were read
 * @param hex   the digest, lower-case hex
 */
public record FileDigest(Path file, long bytes, String hex) {}
