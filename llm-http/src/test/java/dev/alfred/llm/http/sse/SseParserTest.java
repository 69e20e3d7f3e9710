package dev.alfred.llm.http.sse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The WHATWG event-stream rules, each case a literal stream with its expected events, run under every
 * line ending (LF, CR, CRLF) and every read size (1, 2, 3 bytes and all at once).
 */
class SseParserTest {

    private static final String[] LINE_ENDINGS = {"\n", "\r", "\r\n"};
    private static final int[] READ_SIZES = {1, 2, 3, Integer.MAX_VALUE};

    /** A stream written with "\n" line ends; the runner rewrites them to each line ending. */
    private record Case(String name, String stream, List<SseEvent> expected) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static SseEvent ev(String data) {
        return TestEvents.of("message", data, "");
    }

    private static List<Case> cases() {
        return List.of(
                new Case("one event", "data: hello\n\n", List.of(ev("hello"))),
                new Case("no space after colon", "data:hello\n\n", List.of(ev("hello"))),
                new Case("only one space stripped", "data:  two spaces\n\n", List.of(ev(" two spaces"))),
                new Case("multi-line data joined with LF", "data: a\ndata: b\ndata\n\n", List.of(ev("a\nb\n"))),
                new Case("empty data line dispatches an empty event", "data\n\n", List.of(ev(""))),
                new Case("blank lines without data dispatch nothing", "\n\n\nevent: x\n\n", List.of()),
                new Case("comments ignored", ": keep-alive\ndata: x\n: another\n\n", List.of(ev("x"))),
                new Case("event type", "event: delta\ndata: x\n\ndata: y\n\n",
                        List.of(TestEvents.of("delta", "x", ""), ev("y"))),
                new Case("id persists across events", "id: 7\ndata: x\n\ndata: y\n\n",
                        List.of(TestEvents.of("message", "x", "7"), TestEvents.of("message", "y", "7"))),
                new Case("id with NUL ignored", "id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\n",
                        List.of(TestEvents.of("message", "a", "1"), TestEvents.of("message", "b", "1"))),
                new Case("unknown fields ignored", "foo: bar\ndata: x\nDATA: y\n\n", List.of(ev("x"))),
                new Case("field without colon is a field with empty value", "data\ndata: x\n\n", List.of(ev("\nx"))),
                new Case("colon in value kept", "data: {\"a\":\"b:c\"}\n\n", List.of(ev("{\"a\":\"b:c\"}"))),
                new Case("unterminated last event discarded", "data: a\n\ndata: b\n", List.of(ev("a"))),
                new Case("unterminated last line discarded", "data: a\n\ndata: b", List.of(ev("a"))),
                new Case("multi-byte UTF-8 and emoji", "data: héllo 你好 🙂\n\n", List.of(ev("héllo 你好 🙂"))),
                // The second BOM is not at the start: it stays, so its line's field is unknown.
                new Case("leading BOM removed once", "\uFEFFdata: a\n\n\uFEFFdata: b\n\n",
                        List.of(ev("a"))),
                new Case("Kimi chunks and DONE",
                        "data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: [DONE]\n\n",
                        List.of(ev("{\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}"), ev("[DONE]"))));
    }

    static Stream<Arguments> everyCaseLineEndingAndReadSize() {
        List<Arguments> all = new ArrayList<>();
        for (Case c : cases()) {
            for (String eol : LINE_ENDINGS) {
                for (int size : READ_SIZES) {
                    all.add(Arguments.of(c, eol.replace("\r", "CR").replace("\n", "LF"), eol, size));
                }
            }
        }
        return all.stream();
    }

    static List<SseEvent> parse(byte[] bytes, int readSize, SseParser parser) {
        List<SseEvent> events = new ArrayList<>();
        for (int i = 0; i < bytes.length; i += readSize) {
            int n = Math.min(readSize, bytes.length - i);
            // a fresh heap buffer per read, as a network read would be
            parser.feed(ByteBuffer.wrap(bytes, i, n).slice(), SseEvent.collectInto(events));
        }
        parser.finish();
        return events;
    }

    @ParameterizedTest(name = "{0} [{1}, reads of {3}]")
    @MethodSource("everyCaseLineEndingAndReadSize")
    void literalStreams(Case c, String eolName, String eol, int readSize) {
        // Joined data lines always use LF, whatever the stream's line ends were.
        String stream = c.stream().replace("\n", eol);
        assertEquals(c.expected(), parse(stream.getBytes(StandardCharsets.UTF_8), readSize, new SseParser()));
    }

    @Test
    void crlfSplitAcrossTwoReadsIsOneLineEnd() {
        SseParser p = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        byte[] a = "data: x\r".getBytes(StandardCharsets.UTF_8);
        byte[] b = "\n\r\ndata: y\r\n\r\n".getBytes(StandardCharsets.UTF_8);
        p.feed(a, 0, a.length, SseEvent.collectInto(events));
        assertEquals(List.of(), events, "a lone CR ends the line but not yet the event");
        p.feed(b, 0, b.length, SseEvent.collectInto(events));
        assertEquals(List.of(ev("x"), ev("y")), events);
    }

    /** The events of a stream fed in two reads, cut at the given byte. */
    private static List<SseEvent> inTwoReads(byte[] bytes, int cut) {
        SseParser p = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        p.feed(bytes, 0, cut, SseEvent.collectInto(events));
        p.feed(bytes, cut, bytes.length - cut, SseEvent.collectInto(events));
        return events;
    }

    @Test
    void multiByteCharacterSplitAtEveryPosition() {
        byte[] bytes = "data: 🙂é\n\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut < bytes.length; cut++) {
            assertEquals(List.of(ev("🙂é")), inTwoReads(bytes, cut), "cut at " + cut);
        }
    }

    @Test
    void bomSplitAcrossReadsIsStillRemoved() {
        byte[] bytes = "\uFEFFdata: a\n\n".getBytes(StandardCharsets.UTF_8);
        for (int cut = 1; cut <= 3; cut++) {
            assertEquals(List.of(ev("a")), inTwoReads(bytes, cut), "cut at " + cut);
        }
    }

    @Test
    void partialBomIsNotEatenWhenTheStreamDiffers() {
        SseParser p = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        byte[] bytes = {(byte) 0xEF, (byte) 0xBB, 'd', 'a', 't', 'a', ':', 'x', '\n', '\n',
            'd', 'a', 't', 'a', ':', 'y', '\n', '\n'};
        p.feed(bytes, 0, 1, SseEvent.collectInto(events));
        p.feed(bytes, 1, bytes.length - 1, SseEvent.collectInto(events));
        // The two held bytes are replayed into the first line, whose field name is then unknown.
        assertEquals(List.of(ev("y")), events);
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() {
        byte[] bytes = {'d', 'a', 't', 'a', ':', ' ', (byte) 0xC3, '\n', '\n'};
        List<SseEvent> events = parse(bytes, 1, new SseParser());
        assertEquals("\uFFFD", events.get(0).data());
    }

    @Test
    void retryTakesDigitsOnly() {
        SseParser p = new SseParser();
        parse("retry: 3000\n\n".getBytes(StandardCharsets.UTF_8), 2, p);
        assertEquals(3000, p.retryMillis());
        parse("retry: 12a\n\nretry:\n\nretry: -5\n\n".getBytes(StandardCharsets.UTF_8), 1, p);
        assertEquals(3000, p.retryMillis(), "non-digit values are ignored");
    }

    @Test
    void eventsAreDispatchedAsSoonAsTheyAreComplete() {
        SseParser p = new SseParser();
        List<SseEvent> events = new ArrayList<>();
        byte[] first = "data: a\n\ndata: b".getBytes(StandardCharsets.UTF_8);
        p.feed(first, 0, first.length, SseEvent.collectInto(events));
        assertEquals(List.of(ev("a")), events, "the first event is out before the stream goes on");
    }

    @Test
    void aLineLongerThanTheBoundIsAnErrorNotAnOutOfMemory() {
        SseParser p = new SseParser(64, 1024);
        byte[] chunk = new byte[16];
        java.util.Arrays.fill(chunk, (byte) 'x');
        SseFormatException e = assertThrows(SseFormatException.class, () -> {
            for (int i = 0; i < 1_000_000; i++) {
                p.feed(chunk, 0, chunk.length, (type, data, length, id) -> { });
            }
        });
        assertTrue(e.getMessage().contains("longer than 64 bytes"), e.getMessage());
    }

    @Test
    void anEventLargerThanItsBoundIsAnError() {
        SseParser p = new SseParser(64, 100);
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        for (int i = 0; i < 20; i++) {
            s.writeBytes("data: 0123456789\n".getBytes(StandardCharsets.UTF_8));
        }
        byte[] bytes = s.toByteArray();
        SseFormatException e = assertThrows(SseFormatException.class, () -> p.feed(bytes, 0, bytes.length, (type, data, length, id) -> { }));
        assertTrue(e.getMessage().contains("data longer than 100 bytes"), e.getMessage());
    }

    @Test
    void directBuffersAreRead() {
        byte[] bytes = "data: d\n\n".getBytes(StandardCharsets.UTF_8);
        ByteBuffer direct = ByteBuffer.allocateDirect(bytes.length);
        direct.put(bytes).flip();
        List<SseEvent> events = new ArrayList<>();
        new SseParser().feed(direct, SseEvent.collectInto(events));
        assertEquals(List.of(ev("d")), events);
        assertEquals(0, direct.remaining());
    }
}
