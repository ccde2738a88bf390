package io.github.vbackcam.core.segment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

  /** As {@link #open(String)} for a model of the given content, described as ModelCatalog does. */
  private Segmenter open(String name, String content) {
    SharedSegmenters.Key key = new SharedSegmenters.Key(name, content, "ONNXRUNTIME");
    Segmenter reused = shared.reuse(key);
    if (reused != null) {
      return reused;
    }
    Counting loaded = new Counting(content.equals("same") ? name + " (BodyPix)" : name);
    made.add(loaded);
    return shared.add(key, loaded);
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

  @Test
  void copiesOfOneModelUnderDifferentPathsShareOneLoadAndEachIsNamedAsItsUserNamedIt() {
    Segmenter first = open("/a/model.json", "same");
    Segmenter copy = open("/b/model.json", "same");
    assertEquals(1, made.size(), "the copy was loaded again");
    assertEquals("/a/model.json (BodyPix)", first.describe());
    assertEquals("/b/model.json (BodyPix)", copy.describe());
    first.close();
    copy.close();
    Segmenter third = open("/c/model.json", "same");
    assertEquals(1, made.size(), "the copy put down was loaded again");
    assertEquals("/c/model.json (BodyPix)", third.describe());
    third.close();
    assertEquals(1, shared.loaded());
  }

  @Test
  void oneModelOnTwoEnginesIsTwoLoadsAndEachIsFoundAgain() {
    SharedSegmenters.Key onnx = new SharedSegmenters.Key("selfie", "hash-selfie", "ONNXRUNTIME");
    SharedSegmenters.Key tf = new SharedSegmenters.Key("selfie", "hash-selfie", "TENSORFLOW");
    Counting onOnnx = new Counting("selfie on onnxruntime");
    Counting onTf = new Counting("selfie on tensorflow");
    shared.add(onnx, onOnnx).close();
    assertNull(shared.reuse(tf), "the TensorFlow load was taken for the ONNX Runtime one");
    shared.add(tf, onTf).close();
    assertEquals(2, shared.loaded());
    try (Segmenter again = shared.reuse(new SharedSegmenters.Key("copy", "hash-selfie", "TENSORFLOW"))) {
      assertEquals("copy on tensorflow", again.describe(), "the copy on TensorFlow named as its user named it");
    }
    try (Segmenter again = shared.reuse(onnx)) {
      assertEquals("selfie on onnxruntime", again.describe());
    }
    assertEquals(0, onOnnx.closes + onTf.closes);
  }

  @Test
  void switchingThroughManyModelsKeepsTheInUseOnePlusTheIdleLimitAndClosesEachEvictedOneOnce() {
    // As the live engine switches: the next model is opened, then the one it replaces is closed.
    Segmenter current = open("selfie");
    for (int i = 1; i <= 12; i++) {
      Segmenter next = open("/models/copy" + i + "/model.json", "content" + i);
      current.close();
      current = next;
      assertTrue(shared.loaded() <= 1 + SharedSegmenters.IDLE, "loaded after " + i + ": " + shared.loaded());
      assertEquals(shared.loaded(), made.stream().filter(m -> m.closes == 0).count(), "loaded but closed, or lost");
    }
    Segmenter selfie = open("selfie");
    current.close();
    assertEquals(1 + SharedSegmenters.IDLE, shared.loaded());
    for (Counting m : made) {
      assertTrue(m.closes <= 1, m.describe() + " closed " + m.closes + " times");
    }
    assertEquals(made.size() - shared.loaded(), made.stream().filter(m -> m.closes == 1).count(),
        "every model evicted is closed");
    assertEquals(1, made.get(0).closes, "the first selfie, put down 12 models ago, is still loaded");
    assertEquals("selfie", made.get(made.size() - 1).describe());
    assertEquals(0, made.get(made.size() - 1).closes, "selfie, in use again, was closed");
    assertEquals(List.of("/models/copy10/model.json", "/models/copy11/model.json", "/models/copy12/model.json"),
        made.stream().filter(m -> m.closes == 0 && !m.describe().equals("selfie")).map(Counting::describe).toList(),
        "the most recently used idle models stay");
    selfie.close();
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
