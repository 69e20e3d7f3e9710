package dev.alfred.llm.http.sse;

/** The event stream broke a bound the reader keeps (line or event size). */
public final class SseFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    SseFormatException(String message) {
        super(message);
    }
}
