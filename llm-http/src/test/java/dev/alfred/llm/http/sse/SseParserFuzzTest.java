package dev.alfred.llm.http.sse;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Fuzz tests of the event-stream reader (Jazzer). In a normal build they run as regression tests over
 * the corpus in src/test/resources; {@code JAZZER_FUZZ=1 mvn test -pl llm-kimi -Dtest=SseParserFuzzTest}
 * explores for real.
 */
class SseParserFuzzTest {

    /** Any bytes, read in any sizes: only our typed error may escape, and read sizes never change the events. */
    @FuzzTest(maxDuration = "30s")
    void arbitraryBytesGiveTheSameEventsWhateverTheReadSizes(FuzzedDataProvider in) {
        int readSize = in.consumeInt(1, 64);
        int maxLine = in.consumeInt(1, 256);
        byte[] bytes = in.consumeRemainingAsBytes();
        List<SseEvent> whole = null;
        SseFormatException wholeError = null;
        try {
            whole = SseParserTest.parse(bytes, Integer.MAX_VALUE, new SseParser(maxLine, 4 * maxLine));
        } catch (SseFormatException e) {
            wholeError = e;
        }
        List<SseEvent> pieces = null;
        SseFormatException piecesError = null;
        try {
            pieces = SseParserTest.parse(bytes, readSize, new SseParser(maxLine, 4 * maxLine));
        } catch (SseFormatException e) {
            piecesError = e;
        }
        assertEquals(wholeError == null, piecesError == null, "a bound is broken whatever the read size");
        if (wholeError == null) {
            assertEquals(whole, pieces);
        }
    }

    /** Any lines of text written as data fields come back byte for byte: nothing lost or added. */
    @FuzzTest(maxDuration = "30s")
    void dataLinesRoundTripWithoutLoss(FuzzedDataProvider in) {
        String[] eols = {"\n", "\r", "\r\n"};
        String eol = eols[in.consumeInt(0, 2)];
        int readSize = in.consumeInt(1, 32);
        int count = in.consumeInt(0, 20);
        List<String> expected = new ArrayList<>();
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (int i = 0; i < count; i++) {
            String value = in.consumeString(64).replace("\r", "").replace("\n", "");
            boolean separator = in.consumeBoolean();
            wire.writeBytes(("data:" + (separator ? " " : "") + value + eol + eol).getBytes(StandardCharsets.UTF_8));
            // The reader removes one space after the colon: the separator when written, else the value's own.
            expected.add(!separator && value.startsWith(" ") ? value.substring(1) : value);
        }
        List<SseEvent> events = SseParserTest.parse(wire.toByteArray(), readSize, new SseParser());
        List<String> received = new ArrayList<>();
        for (SseEvent e : events) {
            received.add(e.data());
        }
        assertEquals(expected, received, "one event per data line, byte for byte");
    }
}
