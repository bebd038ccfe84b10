package dev.workerpool.sample;

import java.nio.file.Path;

/**
 * One image's thumbnail.
 *
 * @param source      the image read
 * @param target      the thumbnail written
 * @param width       the image's width
 * @param height      the image's height
 * @param thumbWidth  the thumbnail's width
 * @param thumbHeight the thumbnail's height
 * @param copied      whether the image was no wider than asked, and so copied as it is (never enlarged)
 * @param bytesRead   the image's size in bytes
 * @param bytesWritten the thumbnail's size in bytes
 */
public record Thumbnail(Path source, Path target, int width, int height, int thumbWidth, int thumbHeight,
        boolean copied, long bytesRead, long bytesWritten) {}
