package io.bolmo.train.teacher;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import io.bolmo.config.BolmoConfig;
import io.bolmo.config.OlmoConfig;
import io.bolmo.nn.BolmoModel;
import io.bolmo.nn.RandomWeights;
import io.bolmo.nn.Weights;
import io.bolmo.train.StudentInit;
import org.junit.jupiter.api.Test;

/** The default teacher and a Bolmo byteified from it fit the 25 MB budget as bf16 files. */
class TeacherSizeTest {

    static final long BUDGET_BYTES = 25L * 1000 * 1000;

    @Test
    void defaultTeacherPlusItsBolmoFitIn25MegabytesAsBf16() {
        OlmoConfig teacher = TeacherShapes.defaultTeacher();
        // Bolmo-1B's local shape (1 encoder block, 4 decoder blocks) at the teacher's width, SwiGLU 4·d
        BolmoConfig bolmo = StudentInit.configFor(teacher, 1, 4, teacher.numAttentionHeads(),
                4 * teacher.hiddenSize(), TeacherShapes.VOCAB, null);
        try (NDManager m = NDManager.newBaseManager("PyTorch");
                BolmoModel student = BolmoModel.create(bolmo, Weights.from(m, new RandomWeights(1)))) {
            long teacherParams = teacherParameters(teacher);
            long studentParams = student.weights().parameterCount();
            assertThat(teacherParams).isEqualTo(3_148_928);
            assertThat(2 * (teacherParams + studentParams)).as("bf16 bytes of teacher %d + Bolmo %d parameters",
                    teacherParams, studentParams).isLessThan(BUDGET_BYTES);
        }
    }

    private static long teacherParameters(OlmoConfig c) {
        long d = c.hiddenSize();
        long perLayer = 4 * d * d + 3 * d * c.intermediateSize() + 4 * d; // q k v o, SwiGLU, 2 post-norms + QK-norm
        return 2L * c.vocabSize() * d + c.numHiddenLayers() * perLayer + d;
    }
}
