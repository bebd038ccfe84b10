package dev.workerpool.processor;

import static com.google.common.truth.Truth.assertThat;
import static com.google.common.truth.Truth.assertWithMessage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The catalogue is the only place a diagnostic is written, and holds nothing unused. Reads the processor's
 * own sources (the tests run in the module's directory).
 */
class MessageTest {

    private static final Path SOURCES = Path.of("src/main/java/dev/workerpool/processor");

    @Test
    void everyMessageIsReportedSomewhere() throws IOException {
        String others = sourcesOtherThanTheCatalogue();
        List<Message> unused = new ArrayList<>();
        for (Message message : Message.values()) {
            if (!Pattern.compile("\\bMessage\\." + message.name() + "\\b").matcher(others).find()) {
                unused.add(message);
            }
        }
        assertWithMessage("messages no source reports").that(unused).isEmpty();
        List<Message.Unsendable> unusedReasons = new ArrayList<>();
        for (Message.Unsendable reason : Message.Unsendable.values()) {
            if (!Pattern.compile("\\bMessage\\.Unsendable\\." + reason.name() + "\\b").matcher(others).find()) {
                unusedReasons.add(reason);
            }
        }
        assertWithMessage("reasons no source gives").that(unusedReasons).isEmpty();
    }

    @Test
    void noDiagnosticTextIsWrittenOutsideTheCatalogue() throws IOException {
        assertThat(sourcesOtherThanTheCatalogue()).doesNotContain("\"[WorkerPool");
    }

    @Test
    void everyMessageStartsWithItsTag() {
        for (Message message : Message.values()) {
            assertThat(message.format(new Object[20])).matches("(?s)\\[WorkerPool[A-Z][A-Za-z]*\\] \\S.*");
        }
    }

    private static String sourcesOtherThanTheCatalogue() throws IOException {
        StringBuilder text = new StringBuilder();
        try (Stream<Path> files = Files.list(SOURCES)) {
            for (Path file : files.sorted().toList()) {
                if (!file.getFileName().toString().equals("Message.java")) {
                    text.append(Files.readString(file));
                }
            }
        }
        assertThat(text.toString()).contains("Message.");
        return text.toString();
    }
}
