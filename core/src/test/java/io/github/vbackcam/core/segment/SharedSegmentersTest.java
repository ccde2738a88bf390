package io.github.vbackcam.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.vbackcam.core.Frame;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.opencv.opencv_core.Mat;
import org.junit.jupiter.api.Test;

/** Models are loaded once per key: shared while in use, kept while recently put down, freed past the limit. */
class SharedSegmentersTest {

  private final SharedSegmenters shared = new SharedSegmenters();
  private final List<Counting> made = new ArrayList<>();

  private static SharedSegmenters.Key key(String name) {
    return new SharedSegmenters.Key(name, "hash-" + name, "ONNXRUNTIME");
  }

  /** The segmenter for {@code name}, reused when loaded, else "loaded" (made) now. */
  private Segmenter open(String name) {
    Segmenter reused = shared.reuse(key(name));
    if (reused != null) {
      return reused;
    }
    Counting loaded = new Counting(name);
    made.add(loaded);
    return shared.add(key(name), loaded);
  }

  @Test
  void alternatingBetweenTwoModelsLoadsEachOnce() {
    Segmenter current = open("a");
    for (int i = 0; i < 40; i++) {
      Segmenter next = open(i % 2 == 0 ? "b" : "a");
      current.close();
      current = next;
    }
    current.close();
    assertEquals(List.of("a", "b"), made.stream().map(Counting::describe).toList());
    assertEquals(0, made.get(0).closes + made.get(1).closes, "an idle model was freed");
  }

  @Test
  void aModelStillInUseIsSharedAndLivesUntilItsLastUserCloses() {
    Segmenter first = open("a");
    Segmenter second = open("a");
    assertEquals(1, made.size());
    first.close();
    first.close(); // a second close of the same handle releases nothing more
    assertEquals(0, made.get(0).resets, "reset while another user runs it");
    second.close();
    Segmenter again = open("a");
    assertEquals(1, made.size());
    assertEquals(1, made.get(0).resets, "taken back from idle without forgetting its memory");
    again.close();
  }

  @Test
  void pastTheIdleLimitTheModelPutDownLongestAgoIsFreed() {
    for (String name : List.of("a", "b", "c", "d")) {
      open(name).close();
    }
    assertEquals(SharedSegmenters.IDLE + 1, made.size());
    assertEquals(1, made.get(0).closes, "the eldest idle model is freed");
    assertEquals(0, made.get(3).closes);
    assertNull(shared.reuse(key("a")));
    assertNotNull(shared.reuse(key("d")));
  }

  /** A segmenter that counts resets and closes. */
  private static final class Counting implements Segmenter {
    private final String name;
    int resets;
    int closes;

    Counting(String name) {
      this.name = name;
    }

    @Override
    public Mat segment(Frame frame) {
      throw new UnsupportedOperationException();
    }

    @Override
    public String describe() {
      return name;
    }

    @Override
    public void reset() {
      resets++;
    }

    @Override
    public void close() {
      closes++;
    }
  }
}
