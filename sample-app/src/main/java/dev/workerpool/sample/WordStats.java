package dev.workerpool.sample;

import dev.workerpool.WorkerPool;
import java.io.IOException;
import java.util.Locale;

/** An instance method whose jobs may fail: errors travel in the results. */
public final class WordStats {
    private final Locale locale;

    public WordStats(Locale locale) {
        this.locale = locale;
    }

    /**
     * Upper-cases a word, and rejects empty ones.
     *
     * @param word the word
     * @return the word in upper case
     * @throws IOException for an empty word, to show a checked exception captured in its result
     */
    @WorkerPool(workers = 2, buffer = 4)
    public String shout(String word) throws IOException {
        if (word.isEmpty()) {
            throw new IOException("empty word");
        }
        return word.toUpperCase(locale);
    }
}
