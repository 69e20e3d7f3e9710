/**
 * JSON Schemas from Java records, JSON bound to records with validation, and structured answers, for
 * any alfred-llm provider. Jackson databind lives here, and nowhere in the port.
 */
module dev.alfred.llm.schema {
    requires dev.alfred.llm;
    requires tools.jackson.databind;
    requires tools.jackson.core;

    exports dev.alfred.llm.schema;
}
