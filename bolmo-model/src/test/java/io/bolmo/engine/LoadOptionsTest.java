package io.bolmo.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;

/** Load options parse every accepted spelling, reject the rest by name, and choose the engine as documented. */
class LoadOptionsTest {

    private static final IntSupplier NO_GPU = () -> 0;
    private static final IntSupplier ONE_GPU = () -> 1;

    @Test
    void parsesEveryAcceptedSpelling() {
        assertThat(LoadOptions.parse(null, null, null, null)).isEqualTo(LoadOptions.defaults());
        LoadOptions o = LoadOptions.parse(" GPU:2 ", "BF16", "Java", 4);
        assertThat(o.device()).isEqualTo(DeviceSpec.gpu(2));
        assertThat(o.dtype()).isEqualTo(WeightFormat.BF16);
        assertThat(o.engine()).isEqualTo(EngineKind.JAVA);
        assertThat(o.threads()).isEqualTo(4);
        assertThat(DeviceSpec.parse("gpu")).isEqualTo(DeviceSpec.gpu(0));
        assertThat(DeviceSpec.parse("cpu")).isEqualTo(DeviceSpec.CPU);
        assertThat(WeightFormat.parse("float32")).isEqualTo(WeightFormat.F32); // the starter's old default
        assertThat(WeightFormat.parse("bfloat16")).isEqualTo(WeightFormat.BF16);
        assertThat(WeightFormat.parse("q8_0")).isEqualTo(WeightFormat.Q8_0);
        assertThat(WeightFormat.parse("Q4_0")).isEqualTo(WeightFormat.Q4_0);
        assertThat(WeightFormat.parse("q4")).isEqualTo(WeightFormat.Q4_0);
        assertThat(EngineKind.parse("djl")).isEqualTo(EngineKind.DJL);
        assertThat(o.toString()).isEqualTo("device gpu:2, dtype bf16, engine java, 4 threads");
    }

    @Test
    void badValuesNameTheValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> DeviceSpec.parse("tpu")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("device = 'tpu' is invalid; allowed: auto, cpu, gpu, gpu:N");
        assertThatThrownBy(() -> DeviceSpec.parse("gpu:-1")).hasMessageContaining("device = 'gpu:-1' is invalid");
        assertThatThrownBy(() -> WeightFormat.parse("int4")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dtype = 'int4' is invalid; allowed: f32, bf16, q8_0, q4_0");
        assertThatThrownBy(() -> EngineKind.parse("onnx")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("engine = 'onnx' is invalid; allowed: auto, java, djl");
        assertThatThrownBy(() -> LoadOptions.parse("cpu", "f32", "djl", -2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads = -2")
                .hasMessageContaining(">= 0");
    }

    @Test
    void autoIsTheJavaEngineOnACpuWithTheVectorModuleAndDjlOnAGpu() {
        LoadOptions auto = LoadOptions.defaults();
        assertThat(EngineChoice.of(auto, true, true, NO_GPU))
                .isEqualTo(new EngineChoice(EngineKind.JAVA, DeviceSpec.CPU, null));
        assertThat(EngineChoice.of(auto, true, true, ONE_GPU))
                .isEqualTo(new EngineChoice(EngineKind.DJL, DeviceSpec.gpu(0), null));
        assertThat(EngineChoice.of(auto.withDevice(DeviceSpec.CPU), true, true, ONE_GPU).engine())
                .isEqualTo(EngineKind.JAVA);
        assertThat(EngineChoice.of(auto.withEngine(EngineKind.DJL), true, true, NO_GPU))
                .isEqualTo(new EngineChoice(EngineKind.DJL, DeviceSpec.CPU, null));
    }

    /** Without the Vector API module auto falls back to DJL with a notice naming the flag; java fails with it. */
    @Test
    void aMissingVectorModuleFallsBackToDjlWithOneNoticeNamingTheFlag() {
        EngineChoice c = EngineChoice.of(LoadOptions.defaults(), false, true, NO_GPU);
        assertThat(c.engine()).isEqualTo(EngineKind.DJL);
        assertThat(c.device()).isEqualTo(DeviceSpec.CPU);
        assertThat(c.notice()).contains("--add-modules jdk.incubator.vector").contains("running on DJL");
        assertThatThrownBy(() -> EngineChoice.of(LoadOptions.defaults().withEngine(EngineKind.JAVA), false, true,
                NO_GPU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("engine = java is not available")
                .hasMessageContaining("--add-modules jdk.incubator.vector");
        assertThatThrownBy(() -> EngineChoice.of(LoadOptions.defaults().withDtype(WeightFormat.Q8_0), false, true,
                NO_GPU)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtype = q8_0 needs the Java engine")
                .hasMessageContaining("--add-modules jdk.incubator.vector");
        assertThat(EngineChoice.vectorModulePresent())
                .isEqualTo(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent());
    }

    @Test
    void combinationsThatCannotRunAreClearErrors() {
        LoadOptions djl = LoadOptions.defaults().withEngine(EngineKind.DJL);
        assertThatThrownBy(() -> EngineChoice.of(djl.withDtype(WeightFormat.BF16), true, true, NO_GPU))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dtype = bf16 is not supported on engine djl")
                .hasMessageContaining("f32 only");
        LoadOptions java = LoadOptions.defaults().withEngine(EngineKind.JAVA);
        assertThatThrownBy(() -> EngineChoice.of(java.withDevice(DeviceSpec.gpu(0)), true, true, ONE_GPU))
                .hasMessageContaining("engine = java runs on the CPU only").hasMessageContaining("gpu:0");
        assertThatThrownBy(() -> EngineChoice.of(java, true, false, NO_GPU))
                .hasMessageContaining("not available in this build");
        assertThatThrownBy(() -> EngineChoice.of(djl.withDevice(DeviceSpec.gpu(1)), true, true, ONE_GPU))
                .hasMessageContaining("device = 'gpu:1' is not available").hasMessageContaining("1 GPU(s)");
    }

    @Test
    void theGpuCountIsAskedOnlyWhenTheDeviceIsNotTheCpu() {
        AtomicInteger asked = new AtomicInteger();
        IntSupplier counting = () -> {
            asked.incrementAndGet();
            return 0;
        };
        EngineChoice.of(LoadOptions.defaults().withDevice(DeviceSpec.CPU), true, true, counting);
        EngineChoice.of(LoadOptions.defaults().withDevice(DeviceSpec.CPU).withEngine(EngineKind.DJL), true, true,
                counting);
        assertThat(asked).hasValue(0);
        EngineChoice.of(LoadOptions.defaults(), true, true, counting);
        assertThat(asked).hasValue(1);
    }
}
