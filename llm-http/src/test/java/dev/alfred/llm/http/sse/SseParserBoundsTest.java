package dev.alfred.llm.http.sse;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The reader's edges that the literal suite does not pin: exact bounds, buffer growth, retry values at
 * the int limit, a split byte-order mark, reads that start inside an array, and a CR that ends one read
 * before an empty one.
 */
class SseParserBoundsTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<SseEvent> parse(SseParser p, String... reads) {
        List<SseEvent> events = new ArrayList<>();
        for (String r : reads) {
            byte[] bytes = b(r);
            p.feed(bytes, 0, bytes.length, SseEvent.collectInto(events));
        }
        return events;
    }

    private static SseEvent ev(String data) {
        return TestEvents.of("message", data, "");
    }

    @Test
    void boundsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new SseParser(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new SseParser(1, 0));
        new SseParser(1, 1);
    }

    @Test
    void aLineOfExactlyTheBoundIsAcceptedAndOneMoreByteIsNot() {
        String exact = "data:" + "x".repeat(11); // 16 bytes
        assertEquals(List.of(ev("x".repeat(11))), parse(new SseParser(16, 100), exact + "\n\n"));
        SseFormatException e = assertThrows(SseFormatException.class, () -> parse(new SseParser(16, 100), exact + "y\n\n"));
        assertEquals("event-stream line longer than 16 bytes", e.getMessage());
        assertThrows(SseFormatException.class, () -> parse(new SseParser(16, 100), "data:xxxxx", "xxxxxxy\n"),
                "the bound holds across reads");
    }

    @Test
    void eventDataOfExactlyTheBoundIsAcceptedCountingItsLineFeeds() {
        // two lines of 3 bytes: 3 + 1 + 3 + 1 = 8 bytes of data with their line feeds
        assertEquals(List.of(ev("abc\ndef")), parse(new SseParser(100, 8), "data:abc\ndata:def\n\n"));
        assertThrows(SseFormatException.class, () -> parse(new SseParser(100, 7), "data:abc\ndata:def\n\n"));
    }

    @Test
    void linesAndDataLongerThanTheFirstBuffersGrowThem() {
        String big = "é".repeat(3000); // 6000 bytes, past the 512-byte buffers, split into many reads
        List<String> reads = new ArrayList<>();
        String stream = "data:" + big + "\ndata:" + big + "\n\n";
        for (int i = 0; i < stream.length(); i += 700) {
            reads.add(stream.substring(i, Math.min(stream.length(), i + 700)));
        }
        assertEquals(List.of(ev(big + "\n" + big)), parse(new SseParser(), reads.toArray(String[]::new)));
    }

    @Test
    void retryTakesDigitsUpToTheIntLimitAndIgnoresTheRest() {
        SseParser p = new SseParser();
        parse(p, "retry: 2147483647\n");
        assertEquals(2147483647L, p.retryMillis());
        parse(p, "retry: 2147483648\n", "retry:\n", "retry: 12a\n", "retry: -5\n", "retry: 1.5\n");
        assertEquals(2147483647L, p.retryMillis(), "out of range, empty or not digits: ignored");
        parse(p, "retry:0\n");
        assertEquals(0L, p.retryMillis());
        parse(p, "retry:9\n");
        assertEquals(9L, p.retryMillis());
    }

    @Test
    void aByteOrderMarkSplitAcrossReadsIsRemovedOnceAndAPartialOneIsKept() {
        String bom = "\uFEFF";
        byte[] mark = b(bom);
        SseParser p = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        for (byte x : mark) {
            p.feed(new byte[] {x}, 0, 1, SseEvent.collectInto(events));
        }
        parse(p, "data:a\n\n");
        assertEquals(List.of(), events);
        assertEquals(List.of(ev(bom + "b")), parse(p, "data:" + bom + "b\n\n"), "only a leading mark is removed");
        SseParser partial = new SseParser();
        List<SseEvent> kept = new ArrayList<>();
        byte[] start = {mark[0], mark[1], 'x', '\n', 'd', 'a', 't', 'a', ':', 'y', '\n', '\n'};
        partial.feed(start, 0, start.length, SseEvent.collectInto(kept));
        assertEquals(List.of(ev("y")), kept, "two bytes of a mark then x: a field named with them, ignored");
    }

    @Test
    void aBufferThatStartsInsideItsArrayIsReadFromItsPosition() {
        byte[] backing = b("JUNKdata:hello\n\nJUNK");
        ByteBuffer slice = ByteBuffer.wrap(backing, 4, 16).slice(); // arrayOffset 4
        List<SseEvent> events = new ArrayList<>();
        new SseParser().feed(slice, SseEvent.collectInto(events));
        assertEquals(List.of(ev("hello")), events);
        assertEquals(slice.limit(), slice.position(), "the buffer is consumed");
        ByteBuffer moved = ByteBuffer.wrap(b("XXdata:hi\n\n"));
        moved.position(2);
        List<SseEvent> more = new ArrayList<>();
        new SseParser().feed(moved, SseEvent.collectInto(more));
        assertEquals(List.of(ev("hi")), more);
        ByteBuffer direct = ByteBuffer.allocateDirect(12).put(b("data:dir\n\n"));
        direct.flip();
        List<SseEvent> fromDirect = new ArrayList<>();
        new SseParser().feed(direct, SseEvent.collectInto(fromDirect));
        assertEquals(List.of(ev("dir")), fromDirect);
    }

    @Test
    void aCarriageReturnEndingOneReadThenAnEmptyReadThenALineFeedIsOneLineEnd() {
        assertEquals(List.of(ev("a\nb")), parse(new SseParser(), "data:a\r", "", "\ndata:b\r", "\r"),
                "CR, empty read, LF is one line end (not a blank line that would dispatch a alone)");
        assertEquals(List.of(ev("a")), parse(new SseParser(), "data:a\r", "", "", "\r\n"));
    }

    @Test
    void fieldNamesThatArePrefixesOrExtensionsOfKnownOnesAreIgnored() {
        SseParser p = new SseParser();
        List<SseEvent> events = parse(p, "dat: a\ndatas: b\neven: x\nevents: y\ni: 7\nids: 8\nretr: 5\nretrys: 6\n"
                + "data: kept\n\n");
        assertEquals(List.of(ev("kept")), events, "only data counts; the event type stays message and the id empty");
        assertEquals(-1L, p.retryMillis(), "no retry was set by retr or retrys");
        assertEquals("", events.get(0).lastEventId(), "no id was set by i or ids");
        assertEquals(List.of(TestEvents.of("message", "x", "")), parse(new SseParser(), "Data: no\nEVENT: no\ndata: x\n\n"),
                "field names are case-sensitive");
    }
}
