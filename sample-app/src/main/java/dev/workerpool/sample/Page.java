package dev.workerpool.sample;

import java.net.URI;
import java.time.Duration;

/**
 * One fetched URL.
 *
 * @param uri       the URL asked for
 * @param finalUri  where the response came from, after redirects
 * @param status    the HTTP status of the last response
 * @param bytes     the body's size in bytes
 * @param time      time spent on the request(s), redirects included, waits for politeness excluded
 * @param redirects how many redirects were followed
 */
public record Page(URI uri, URI finalUri, int status, long bytes, Duration time, int redirects) {}
