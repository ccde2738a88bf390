package io.github.vbackcam.core.tfjs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The model cache writes entries whole, and a cache that cannot be written costs a conversion, never the model. */
class ModelCacheTest {

  @TempDir
  Path dir;

  @Test
  void anEntryIsWrittenWithItsChecksumAndFoundAgain() throws IOException {
    Path root = dir.resolve("models");
    Path entry = ModelCache.store(root, "abc", "model.onnx", tmp -> Files.writeString(tmp.resolve("model.onnx"), "x"));
    assertEquals(root.resolve("abc"), entry);
    assertEquals(entry, ModelCache.lookup(root, "abc", "model.onnx"));
  }

  @Test
  void aCacheThatCannotBeWrittenFallsBackToATemporaryDirectory() throws IOException {
    // As root no permission bit stops a write; a regular file where the cache's parent should be stops any user.
    Path blocker = Files.writeString(dir.resolve("not-a-directory"), "");
    Path root = blocker.resolve("models");
    Path entry = ModelCache.store(root, "abc", "model.onnx", tmp -> Files.writeString(tmp.resolve("model.onnx"), "x"));
    assertFalse(entry.startsWith(blocker), entry.toString());
    assertEquals("x", Files.readString(entry.resolve("model.onnx")));
    assertTrue(Files.isRegularFile(entry.resolve("model.onnx.sha256")));
  }

  @Test
  void aWriterThatFailsInTheTemporaryDirectoryTooFailsTheCall() throws IOException {
    Path blocker = Files.writeString(dir.resolve("not-a-directory"), "");
    IOException e = assertThrows(IOException.class, () -> ModelCache.store(blocker.resolve("models"), "abc",
        "model.onnx", tmp -> {
          throw new ModelFormatException(Path.of("m.json"), "not a graph");
        }));
    assertTrue(e.getMessage().contains("not a graph"), e.getMessage());
  }
}
