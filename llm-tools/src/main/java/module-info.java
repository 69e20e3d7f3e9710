/**
 * Tools made from records and functions, and the {@code ToolLoop} that runs a model's tool calls over
 * any alfred-llm provider, bounded, in parallel, and never on a call that is broken.
 */
module dev.alfred.llm.tools {
    requires dev.alfred.llm;
    requires dev.alfred.llm.schema;
    requires tools.jackson.databind;
    requires org.slf4j;

    exports dev.alfred.llm.tools;
}
