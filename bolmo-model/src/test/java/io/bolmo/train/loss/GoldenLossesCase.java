package io.bolmo.train.loss;

import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** A test over the golden-losses data: a fresh manager with the golden tensors per test, closed after it. */
abstract class GoldenLossesCase {

    protected NDManager manager;
    protected GoldenLosses golden;

    @BeforeEach
    void loadGolden() {
        manager = NDManager.newBaseManager();
        golden = GoldenLosses.load(manager);
    }

    @AfterEach
    void closeManager() {
        manager.close();
    }
}
