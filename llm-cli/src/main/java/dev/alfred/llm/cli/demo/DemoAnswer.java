package dev.alfred.llm.cli.demo;

import tools.jackson.databind.JsonNode;

/** What the demo server answers an unscripted request with: a JSON body, or an error. */
sealed interface DemoAnswer permits DemoAnswer.Body, DemoAnswer.Error {

    /**
     * A 200 with this JSON body.
     *
     * @param json the body
     */
    record Body(JsonNode json) implements DemoAnswer {
    }

    /**
     * An error response in OpenAI's shape, {@code {"error":{"message","type"}}}.
     *
     * @param status  the HTTP status
     * @param type    the error type
     * @param message what was wrong with the request
     */
    record Error(int status, String type, String message) implements DemoAnswer {
    }

    /**
     * A 400 {@code invalid_request_error}.
     *
     * @param message what was wrong
     * @return the error
     */
    static DemoAnswer invalid(String message) {
        return new Error(400, "invalid_request_error", message);
    }
}
