package dev.workerpool.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateTest {

    @Test
    void parsesPermitsAndAPeriodWhoseNumberMayBeLeftOut() {
        assertEquals(Rate.of(50, Duration.ofSeconds(1)), Rate.parse("50/s"));
        assertEquals(Rate.of(50, Duration.ofSeconds(1)), Rate.parse(" 50 / 1s "));
        assertEquals(Rate.of(3, Duration.ofMillis(250)), Rate.parse("3/250ms"));
        assertEquals(Rate.of(100, Duration.ofMinutes(1)), Rate.parse("100/m"));
        assertEquals(Rate.of(1000, Duration.ofHours(1)), Rate.parse("1000/h"));
        assertEquals(Rate.of(2, Duration.ofDays(1)), Rate.parse("2/d"));
        assertEquals(Rate.of(7, Duration.ofNanos(7_000)), Rate.parse("7/7us"));
        assertEquals(Rate.of(5, Duration.ofSeconds(10)), Rate.parse("5/PT10S"));
        assertEquals(Rate.of(5, Duration.ofSeconds(10)), Rate.parse("5/pt10s"));
    }

    @Test
    void toStringReadsBackAndNamesTheBurst() {
        Rate rate = Rate.parse("50/s").withBurst(5);
        assertEquals("50/PT1S, burst 5", rate.toString());
        assertEquals(rate.withBurst(1), Rate.parse("50/PT1S"));
        assertEquals("50/PT1S", Rate.parse("50/s").toString());
    }

    @Test
    void badTextIsRejectedWithTheText() {
        for (String bad : new String[] {"", "50", "50/", "/s", "50/x", "-1/s", "1.5/s", "50/-1s", "50 per second",
                "50/S", "3/250MS", "100/M"}) { // units in lower case, as the annotation takes them
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rate.parse(bad), bad);
            assertTrue(e.getMessage().contains("\"" + bad + "\""), e.getMessage());
        }
    }

    @Test
    void outOfRangeValuesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("0/s"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("5/0s"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("5/PT0S"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("2/1ns"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("1/40000d"));
        assertThrows(IllegalArgumentException.class, () -> Rate.parse("99999999999999999999/s"));
        assertThrows(IllegalArgumentException.class, () -> Rate.of(1, Duration.ofSeconds(-1)));
        assertThrows(IllegalArgumentException.class, () -> Rate.of(1, Duration.ofSeconds(1)).withBurst(0));
        assertThrows(NullPointerException.class, () -> Rate.of(1, null));
    }

    @Test
    void theIntervalIsRoundedUp() {
        assertEquals(Duration.ofMillis(20), Rate.parse("50/s").interval());
        assertEquals(Duration.ofNanos(333_333_334), Rate.parse("3/s").interval());
        assertEquals(Duration.ofNanos(1), Rate.parse("1/1ns").interval());
    }

    @Test
    void equalityCoversPermitsPeriodAndBurst() {
        Rate rate = Rate.parse("50/s");
        assertEquals(rate.hashCode(), Rate.of(50, Duration.ofMillis(1000)).hashCode());
        assertNotEquals(rate, rate.withBurst(2));
        assertNotEquals(rate, Rate.parse("51/s"));
        assertNotEquals(rate, Rate.parse("50/2s"));
    }
}
