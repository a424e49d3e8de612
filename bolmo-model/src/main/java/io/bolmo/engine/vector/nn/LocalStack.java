package io.bolmo.engine.vector.nn;

/** The local blocks of the encoder or decoder, each with its own mLSTM state per sequence. */
final class LocalStack {

    private final LocalBlock[] blocks;

    LocalStack(Tensors t, String prefix, int layers, int d, int heads, int hidden, double eps) {
        this.blocks = new LocalBlock[layers];
        for (int i = 0; i < layers; i++) {
            blocks[i] = new LocalBlock(t, prefix + "." + i, d, heads, hidden, eps);
        }
    }

    /** x {@code [n, d]}; {@code states[i][l]} is row i's state of layer l. */
    float[] forward(float[] x, int n, MLstmState[][] states) {
        MLstmState[] layer = new MLstmState[n];
        for (int l = 0; l < blocks.length; l++) {
            for (int i = 0; i < n; i++) {
                layer[i] = states[i][l];
            }
            x = blocks[l].forward(x, n, layer);
        }
        return x;
    }

    /** Fresh zero states, one per layer. */
    MLstmState[] newStates() {
        MLstmState[] s = new MLstmState[blocks.length];
        for (int l = 0; l < blocks.length; l++) {
            s[l] = blocks[l].newState();
        }
        return s;
    }
}
