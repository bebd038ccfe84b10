package dev.workerpool.sample;

import java.util.List;

/**
 * Consecutive lines of a CSV file, blank ones included: one job of the import pool.
 *
 * @param firstLine the 1-based line number of {@code lines.get(0)} in the file
 * @param lines     the raw lines; {@code lines.get(i)} is line {@code firstLine + i} of the file
 */
public record Chunk(int firstLine, List<String> lines) {}
