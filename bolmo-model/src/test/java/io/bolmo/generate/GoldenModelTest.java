package io.bolmo.generate;

import ai.djl.ndarray.NDManager;
import io.bolmo.nn.BolmoModel;
import io.bolmo.testing.Golden;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link GoldenManagerTest} with the golden random-weight {@code tiny-olmo3} Bolmo loaded once for the class. */
abstract class GoldenModelTest extends GoldenManagerTest {

    protected BolmoModel model;
    private NDManager scope;

    @BeforeAll
    void loadModel() {
        scope = manager.newSubManager();
        model = Golden.loadModel(scope, "tiny-olmo3");
    }

    @AfterAll
    void unloadModel() {
        model.close();
        scope.close();
    }
}
