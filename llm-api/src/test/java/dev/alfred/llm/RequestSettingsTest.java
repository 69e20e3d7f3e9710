package dev.alfred.llm;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A request's own deadline, headers and body fields: checked when made, copied, and shown without values. */
class RequestSettingsTest {

    private static String refused(RequestSettings.Builder b) {
        return assertThrows(IllegalArgumentException.class, b::build).getMessage();
    }

    @Test
    void theBuilderCarriesEverySettingInOrder() {
        RequestSettings s = RequestSettings.builder().timeout(Duration.ofSeconds(20)).header("X-Team", "alfred")
                .header("X-Trace", "t-1").bodyField("service_tier", "\"flex\"").bodyField("n", "2")
                .replaceLibraryFields(true).build();
        assertEquals(Duration.ofSeconds(20), s.timeout());
        assertEquals(List.of("X-Team", "X-Trace"), List.copyOf(s.headers().keySet()));
        assertEquals("alfred", s.headers().get("X-Team"));
        assertEquals(Map.of("service_tier", "\"flex\"", "n", "2"), s.bodyFields());
        assertTrue(s.replaceLibraryFields());
        assertEquals("RequestSettings{timeout=PT20S, headers=[X-Team, X-Trace], bodyFields=[service_tier, n],"
                + " replaceLibraryFields}", s.toString(), "names only: values may be secrets");
        assertEquals("RequestSettings{timeout=null, headers=[], bodyFields=[]}", RequestSettings.NONE.toString());
        assertEquals(RequestSettings.NONE, RequestSettings.builder().build());
    }

    @Test
    void theMapsAreCopiesThatCannotChange() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-A", "1");
        RequestSettings s = new RequestSettings(null, headers, null, false);
        headers.put("X-B", "2");
        assertEquals(Map.of("X-A", "1"), s.headers());
        assertEquals(Map.of(), s.bodyFields(), "null is none");
        assertThrows(UnsupportedOperationException.class, () -> s.headers().put("X-C", "3"));
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("X-A", null);
        assertEquals("headers must not hold null names or values",
                assertThrows(IllegalArgumentException.class, () -> new RequestSettings(null, withNull, null, false))
                        .getMessage());
        Map<String, String> nullName = new LinkedHashMap<>();
        nullName.put(null, "1");
        assertEquals("bodyFields must not hold null names or values",
                assertThrows(IllegalArgumentException.class, () -> new RequestSettings(null, null, nullName, false))
                        .getMessage());
    }

    @Test
    void aTimeoutMustBePositive() {
        assertEquals("timeout must be positive, was PT0S", refused(RequestSettings.builder().timeout(Duration.ZERO)));
        assertEquals("timeout must be positive, was PT-1S",
                refused(RequestSettings.builder().timeout(Duration.ofSeconds(-1))));
        assertEquals(Duration.ofNanos(1), RequestSettings.builder().timeout(Duration.ofNanos(1)).build().timeout());
    }

    @Test
    void headerNamesAreTokensAndValuesHaveNoLineBreaks() {
        for (String bad : new String[] {"", "X Team", "X:Team", "X\u007fTeam", "X\u0000", "X\u00e9", "(x)", "a,b", "a/b",
            "a;b", "a<b", "a=b", "a>b", "a?b", "a@b", "a[b", "a\\b", "a]b", "a{b", "a}b", "\"a\""}) {
            assertEquals("header name '" + bad + "' is not an HTTP token",
                    refused(RequestSettings.builder().header(bad, "v")), bad);
        }
        RequestSettings edges = RequestSettings.builder().header("!#$%&'*+-.^_`|~09AZaz", "v").build();
        assertTrue(edges.hasHeader("!#$%&'*+-.^_`|~09AZaz"), "'!' and '~' are the first and last token characters");
        assertEquals("header 'X-A' has a line break in its value", refused(RequestSettings.builder().header("X-A", "a\r\nb")));
        assertEquals("header 'X-A' has a line break in its value", refused(RequestSettings.builder().header("X-A", "a\nb")));
        assertEquals("header 'X-A' has a line break in its value", refused(RequestSettings.builder().header("X-A", "a\rb")));
        assertEquals("header 'X-A' has a line break in its value", refused(RequestSettings.builder().header("X-A", "\rb")));
        assertEquals("header 'X-A' has a line break in its value", refused(RequestSettings.builder().header("X-A", "\nb")));
    }

    @Test
    void bodyFieldsAreNamedAndOneJsonValueEach() {
        assertEquals("a body field name must not be blank", refused(RequestSettings.builder().bodyField(" ", "1")));
        assertEquals("body field 'tier' is not one JSON value: flex",
                refused(RequestSettings.builder().bodyField("tier", "flex")));
        assertEquals("body field 'x' is not one JSON value: 1 2", refused(RequestSettings.builder().bodyField("x", "1 2")));
        RequestSettings.builder().bodyField("o", "{\"a\":[1,null]}").bodyField("s", "\"x\"").build();
    }

    @Test
    void aHeaderIsFoundWhateverItsCase() {
        RequestSettings s = RequestSettings.builder().header("X-Team", "a").build();
        assertTrue(s.hasHeader("x-team"));
        assertTrue(s.hasHeader("X-TEAM"));
        assertFalse(s.hasHeader("X-Other"));
        assertFalse(RequestSettings.NONE.hasHeader("X-Team"));
    }

    @Test
    void theDeadlineIsTheShorterOfTheRequestsAndTheProviders() {
        Duration provider = Duration.ofMinutes(15);
        assertSame(provider, RequestSettings.NONE.totalTimeout(provider));
        assertEquals(Duration.ofSeconds(5), RequestSettings.builder().timeout(Duration.ofSeconds(5)).build()
                .totalTimeout(provider));
        assertSame(provider, RequestSettings.builder().timeout(Duration.ofHours(1)).build().totalTimeout(provider));
        assertThrows(NullPointerException.class, () -> RequestSettings.NONE.totalTimeout(null));
    }
}
