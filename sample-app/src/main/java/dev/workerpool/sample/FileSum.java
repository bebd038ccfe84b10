package dev.workerpool.sample;

/**
 * The SHA-256 of one file, as it travels between JVMs.
 *
 * @param bytes  how many bytes were read
 * @param hex    the digest, lower-case hex
 * @param member the cluster address of the JVM that computed it
 */
public record FileSum(long bytes, String hex, String member) {}
