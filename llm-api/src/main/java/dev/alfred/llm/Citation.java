package dev.alfred.llm;

/**
 * A source the model cited for a span of its answer, as the provider reported it (Anthropic's
 * {@code citations} on text blocks: a web search result, a place in a document). The common parts are
 * typed; the whole citation object stays as raw JSON, so nothing the provider said is lost and it can
 * be sent back as it came. Immutable.
 *
 * @param start     where the cited span begins in {@link ChatResponse#content()}, a char index
 * @param end       where it ends (exclusive); equal to {@code start} when the provider gave no span
 * @param type      the provider's citation type, such as {@code web_search_result_location}
 * @param citedText the text the model cited from the source, or null
 * @param url       the source's URL, or null
 * @param title     the source's title, or null
 * @param json      the whole citation object as the provider sent it
 */
public record Citation(int start, int end, String type, String citedText, String url, String title, String json) {

    /**
     * Validates the citation.
     *
     * @param start     the start
     * @param end       the end
     * @param type      the type
     * @param citedText the cited text, or null
     * @param url       the URL, or null
     * @param title     the title, or null
     * @param json      the raw object
     * @throws IllegalArgumentException naming what is wrong: a negative or inverted span, a blank type, no JSON
     */
    public Citation {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("citation span must be 0 <= start <= end, was " + start + ".." + end);
        }
        if (type == null || type.isBlank()) {
            throw new IllegalArgumentException("citation type must not be blank");
        }
        if (json == null || json.isBlank()) {
            throw new IllegalArgumentException("citation json must not be blank");
        }
    }
}
