package io.github.vbackcam.core;

import io.github.vbackcam.core.segment.Segmenter;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.global.opencv_core;
import org.bytedeco.opencv.opencv_core.Mat;
import org.bytedeco.opencv.opencv_core.Scalar;

/**
 * A segmenter that finds the same person probability everywhere (settable while frames flow: 0 no person, 255 all
 * person) and records each call with the thread it came on, as "call@thread".
 */
public final class RecordingSegmenter implements Segmenter {

  private final String name;
  private final List<String> calls = new ArrayList<>();
  private final Mat probability = new Mat(8, 8, opencv_core.CV_8UC1);
  private volatile int person;
  private boolean closed;

  public RecordingSegmenter(String name, int person) {
    this.name = name;
    this.person = person;
  }

  /** The probability from the next frame on. */
  public void person(int value) {
    person = value;
  }

  @Override
  public void prepare(Frame frame) {
    record("prepare");
  }

  @Override
  public Mat segment(Frame frame) {
    if (closed) {
      throw new IllegalStateException("segment() after close()");
    }
    record("segment");
    try (Scalar s = new Scalar(person)) {
      probability.put(s);
    }
    return probability;
  }

  @Override
  public void reset() {
    record("reset");
  }

  @Override
  public String describe() {
    return name;
  }

  @Override
  public void close() {
    record("close");
    closed = true;
    probability.close();
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  public boolean closed() {
    return closed;
  }

  private synchronized void record(String call) {
    calls.add(call + "@" + Thread.currentThread().getName());
  }
}
