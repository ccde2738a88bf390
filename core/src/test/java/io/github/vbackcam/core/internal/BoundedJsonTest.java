package io.github.vbackcam.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** JSON is parsed only within its depth and token budgets; refusals say why without quoting the JSON. */
class BoundedJsonTest {

  @Test
  void nestingUpToTheLimitParsesAndOneLevelMoreIsRefused() throws Exception {
    JsonElement deepest = BoundedJson.parse(nested(BoundedJson.MAX_DEPTH));
    assertTrue(deepest.isJsonObject());
    BoundedJson.RefusedException e = assertThrows(BoundedJson.RefusedException.class,
        () -> BoundedJson.parse(nested(BoundedJson.MAX_DEPTH + 1)));
    assertEquals("JSON nested deeper than 64 levels", e.getMessage());
  }

  @Test
  void tokensUpToTheLimitParseAndOneMoreIsRefused() throws Exception {
    // An array of n numbers is n + 1 tokens.
    assertEquals(BoundedJson.MAX_TOKENS - 1,
        BoundedJson.parse(numbers(BoundedJson.MAX_TOKENS - 1)).getAsJsonArray().size());
    BoundedJson.RefusedException e = assertThrows(BoundedJson.RefusedException.class,
        () -> BoundedJson.parse(numbers(BoundedJson.MAX_TOKENS)));
    assertEquals("JSON of more than 500,000 tokens (names and values)", e.getMessage());
  }

  @Test
  void syntaxErrorsGiveTheLineAndColumnButNoKeyNames() {
    byte[] json = "{\"password\": {\"secret\": 1\n \"x\"}}".getBytes(StandardCharsets.UTF_8);
    String message = assertThrows(BoundedJson.RefusedException.class, () -> BoundedJson.parse(json)).getMessage();
    assertTrue(message.startsWith("not valid JSON (at line 2 column"), message);
    assertFalse(message.contains("password") || message.contains("secret"), message);
  }

  @Test
  void onlyOneValueIsAccepted() {
    byte[] json = "{} {}".getBytes(StandardCharsets.UTF_8);
    assertThrows(BoundedJson.RefusedException.class, () -> BoundedJson.parse(json));
  }

  /** {@code {"a":{"a":...1...}}} with {@code depth} objects. */
  private static byte[] nested(int depth) {
    return ("{\"a\":".repeat(depth - 1) + "{}" + "}".repeat(depth - 1)).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] numbers(long n) {
    StringBuilder s = new StringBuilder("[0");
    for (long i = 1; i < n; i++) {
      s.append(",0");
    }
    return s.append(']').toString().getBytes(StandardCharsets.UTF_8);
  }
}
