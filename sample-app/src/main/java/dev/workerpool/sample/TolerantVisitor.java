package dev.workerpool.sample;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;

/**
 * A walk of a tree that reports what it cannot read and goes on: a file or directory that does not open, and a
 * directory that opened but could not be listed to its end ({@code /proc/1/map_files}), with which
 * {@link SimpleFileVisitor} would end the walk. Used on the thread that walks.
 */
abstract class TolerantVisitor extends SimpleFileVisitor<Path> {

    /** Reports {@code path}, which could not be read for {@code e}. */
    abstract void unreadable(Path path, IOException e);

    /** What the walk does after a file or a directory's end: go on, unless a subclass stops it. */
    FileVisitResult next() {
        return FileVisitResult.CONTINUE;
    }

    @Override
    public final FileVisitResult visitFileFailed(Path file, IOException e) {
        unreadable(file, e);
        return next();
    }

    @Override
    public final FileVisitResult postVisitDirectory(Path dir, IOException e) {
        if (e != null) {
            unreadable(dir, e);
        }
        return next();
    }
}
