package io.bolmo.generate;

/**
 * One generation's units as its model reads them, beyond what the decode loop needs ({@link DecodeLoop.Units}): the
 * subword rows the engine is fed with, and how the prompt's last unit is decided. {@link ByteUnits} for Bolmo,
 * {@link TokenUnits} for the subword model. A Bolmo instance keeps its own subword cursor: one per generation.
 */
interface Units extends DecodeLoop.Units {

    /** Subword rows of the prompt for {@link io.bolmo.engine.Engine#prefill} (null: the engine reads none). */
    int[] prefillRows(int[] prompt);

    /** The ids the first choice is restricted to when the prompt's last unit is rolled back; null: none. */
    int[] forcedChoice(int[] prompt);

    /** The subword row of {@code unit}, which is fed now (advances the cursor: call once per feed). */
    int row(int unit);

    /** How many prompt units a result reports. */
    int promptUnits(int[] prompt);
}
