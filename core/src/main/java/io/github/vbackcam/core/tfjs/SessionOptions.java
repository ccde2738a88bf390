package io.github.vbackcam.core.tfjs;

import java.util.Base64;
import org.tensorflow.proto.framework.ConfigProto;

/**
 * Threading of the TensorFlow session a {@link GraphModel} runs in.
 *
 * @param intraOpThreads threads one op (a convolution) may use
 * @param interOpThreads ops that may run at the same time
 */
public record SessionOptions(int intraOpThreads, int interOpThreads) {
  public SessionOptions {
    if (intraOpThreads < 1 || interOpThreads < 1) {
      throw new IllegalArgumentException("thread counts must be positive: " + intraOpThreads + ", " + interOpThreads);
    }
  }

  /**
   * Every core for the work inside an op, one op at a time: segmentation graphs are nearly linear chains, so running
   * ops side by side buys little and would only contend with the rest of the frame pipeline.
   */
  public static SessionOptions defaults() {
    return new SessionOptions(Math.max(1, Runtime.getRuntime().availableProcessors()), 1);
  }

  ConfigProto toConfigProto() {
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intraOpThreads)
        .setInterOpParallelismThreads(interOpThreads)
        .setAllowSoftPlacement(true)
        .build();
  }

  /** The form DJL's TfModel takes in its "ConfigProto" option: the serialized proto in base64. */
  String toDjlOption() {
    return Base64.getEncoder().encodeToString(toConfigProto().toByteArray());
  }
}
