/**
 * The contract kit, fake server and architecture rules that every alfred-llm provider's tests reuse.
 */
module dev.alfred.llm.testkit {
    requires dev.alfred.llm;
}
