package dev.alfred.llm.schema;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Makes every test read and write its schemas anew, registered for all tests of this module: the cache
 * per type would otherwise hand a test what an earlier one wrote, and a mutant of the reader or writer
 * would never be seen by the tests that look at it.
 */
public final class FreshSchemas implements BeforeEachCallback {

    @Override
    public void beforeEach(ExtensionContext context) {
        RecordSchema.forgetAll();
    }
}
