package dev.alfred.llm.http.error;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Which fields of an error body land where: the error's own, the flat shape's, and the details beside them. */
class ErrorBodyTest {

    private static ErrorBody parse(String json) {
        byte[] b = json.getBytes(StandardCharsets.UTF_8);
        return ErrorBody.parse(b, 0, b.length);
    }

    @Test
    void theErrorObjectsOtherFieldsAndTheBodysAreDetailsAndNullsAreDropped() {
        ErrorBody e = parse("{\"error\":{\"message\":\"m\",\"param\":\"tools\",\"none\":null,\"metadata\":{\"raw\":\"r\"}},"
                + "\"user_id\":\"u1\",\"gone\":null}");
        assertEquals(new ErrorBody(null, "m", null, null, Map.of("param", "\"tools\"", "metadata", "{\"raw\":\"r\"}",
                "user_id", "\"u1\"")), e);
        assertEquals(List.of("param", "metadata", "user_id"), List.copyOf(e.details().keySet()));
    }

    @Test
    void anErrorThatIsNeitherObjectNorTextIsStillAnError() {
        assertEquals(new ErrorBody(null, null, null, "r1"), parse("{\"error\":[\"a\",{\"b\":1}],\"request_id\":\"r1\"}"));
        assertEquals(new ErrorBody(null, null, null, null), parse("{\"error\":42}"));
        assertEquals(new ErrorBody(null, null, null, null), parse("{\"error\":true}"));
        assertNull(parse("{\"error\":false,\"message\":\"fine\"}"), "error: false is no error");
        assertNull(parse("{\"error\":null,\"message\":\"fine\"}"));
    }

    @Test
    void fieldsBesideAnErrorObjectDoNotReplaceItsOwn() {
        assertEquals(new ErrorBody("inner", "m", "c", null),
                parse("{\"error\":{\"type\":\"inner\",\"message\":\"m\",\"code\":\"c\"},\"type\":\"outer\","
                        + "\"message\":{\"x\":1},\"code\":\"outer\"}"));
        assertEquals(new ErrorBody(null, "m", null, null), parse("{\"error\":{\"message\":\"m\"},\"code\":\"outer\"}"));
    }

    @Test
    void theFlatShapeKeepsItsCodeAndMessage() {
        assertEquals(new ErrorBody("invalid_request_error", "m", "c1", null),
                parse("{\"object\":\"error\",\"message\":\"m\",\"type\":\"invalid_request_error\",\"code\":\"c1\"}"));
        assertEquals(new ErrorBody(null, "m", "7", null), parse("{\"type\":\"error\",\"object\":\"error\",\"message\":\"m\",\"code\":7}"),
                "type error names the shape, not the error; a numeric code is kept as its digits");
        assertNull(parse("{\"object\":\"chat.completion\",\"message\":\"m\"}"));
    }

    @Test
    void theDetailsAreACopyThatCannotChange() {
        Map<String, String> given = new HashMap<>(Map.of("param", "1"));
        ErrorBody e = new ErrorBody("t", "m", null, null, given);
        given.put("other", "2");
        assertEquals(Map.of("param", "1"), e.details());
        assertThrows(UnsupportedOperationException.class, () -> e.details().put("x", "y"));
        assertEquals(Map.of(), new ErrorBody("t", "m", null, null, null).details());
    }
}
