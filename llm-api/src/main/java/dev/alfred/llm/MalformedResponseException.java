package dev.alfred.llm;

/**
 * A successful (200) answer that is not the API's shape: a body that is not JSON, or JSON the provider
 * cannot read as an answer. Not retryable: the server was paid to produce it, and the same request
 * would most likely be answered the same way. The message names what was wrong, with the request id.
 */
public class MalformedResponseException extends LlmException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates the exception.
     *
     * @param message    what was wrong, scrubbed
     * @param providerId the provider, or null
     * @param httpStatus the status the malformed body came with
     * @param traceId    the server's request id, or null
     * @param cause      the decoder's failure (a scrubbed copy), or null
     */
    public MalformedResponseException(String message, String providerId, int httpStatus, String traceId,
                                      Throwable cause) {
        super(message, providerId, httpStatus, null, false, null, traceId, cause);
    }
}
