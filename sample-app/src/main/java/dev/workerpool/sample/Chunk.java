package dev.workerpool.sample;

import java.util.List;

/**
 * Consecutive lines of a CSV file: one job of the import pool.
 *
 * @param firstLine the 1-based line number of {@code lines.get(0)} in the file
 * @param lines     the raw lines
 */
public record Chunk(int firstLine, List<String> lines) {}
