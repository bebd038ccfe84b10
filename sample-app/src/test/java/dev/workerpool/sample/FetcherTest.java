package dev.workerpool.sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.net.URISyntaxException;
import org.junit.jupiter.api.Test;

/** How {@link Fetcher} resolves a redirect's {@code Location} against the URL that answered with it. */
class FetcherTest {

    /**
     * RFC 3986's examples (section 5.4), which browsers and curl follow. {@link URI#resolve} follows the older
     * RFC 2396 and differs on a query-only reference ({@code ?y} lost the last segment), an empty reference (the
     * query was lost) and {@code ..} above the root (kept in the path, so the server was asked for {@code /../g}).
     */
    @Test
    void aLocationResolvesAsRfc3986Says() throws URISyntaxException {
        String base = "http://a/b/c/d;p?q";
        String[][] examples = {
            {"g:h", "g:h"}, {"g", "http://a/b/c/g"}, {"./g", "http://a/b/c/g"}, {"g/", "http://a/b/c/g/"},
            {"/g", "http://a/g"}, {"//g", "http://g"}, {"?y", "http://a/b/c/d;p?y"}, {"g?y", "http://a/b/c/g?y"},
            {"#s", "http://a/b/c/d;p?q#s"}, {"g#s", "http://a/b/c/g#s"}, {"g?y#s", "http://a/b/c/g?y#s"},
            {";x", "http://a/b/c/;x"}, {"g;x", "http://a/b/c/g;x"}, {"g;x?y#s", "http://a/b/c/g;x?y#s"},
            {"", "http://a/b/c/d;p?q"}, {".", "http://a/b/c/"}, {"./", "http://a/b/c/"}, {"..", "http://a/b/"},
            {"../", "http://a/b/"}, {"../g", "http://a/b/g"}, {"../..", "http://a/"}, {"../../", "http://a/"},
            {"../../g", "http://a/g"},
            // abnormal examples (5.4.2)
            {"../../../g", "http://a/g"}, {"../../../../g", "http://a/g"}, {"/./g", "http://a/g"},
            {"/../g", "http://a/g"}, {"g.", "http://a/b/c/g."}, {".g", "http://a/b/c/.g"}, {"g..", "http://a/b/c/g.."},
            {"..g", "http://a/b/c/..g"}, {"./../g", "http://a/b/g"}, {"./g/.", "http://a/b/c/g/"},
            {"g/./h", "http://a/b/c/g/h"}, {"g/../h", "http://a/b/c/h"}, {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
            {"g;x=1/../y", "http://a/b/c/y"}, {"g?y/./x", "http://a/b/c/g?y/./x"},
            {"g?y/../x", "http://a/b/c/g?y/../x"},
            {"g#s/./x", "http://a/b/c/g#s/./x"}, {"g#s/../x", "http://a/b/c/g#s/../x"},
            // and against a URL without a path, with escapes kept as they are
            {"new", "http://a/new"},
        };
        for (String[] example : examples) {
            URI against = example[0].equals("new") ? URI.create("http://a") : URI.create(base);
            assertEquals(example[1], Fetcher.resolve(against, example[0]).toString(), example[0]);
        }
        assertEquals("http://a/b/c/g%20h?x=%2F", Fetcher.resolve(URI.create(base), "g%20h?x=%2F").toString());
    }
}
