package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.service.config.Settings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The remembered choices: every state the service can be in comes back, and a broken state file never stops it. */
class SettingsStoreTest {

  @TempDir
  Path dir;

  private SettingsStore store(Path state) throws IOException {
    Path conf = dir.resolve("vbackcam.conf");
    Files.writeString(conf, "blur = 33\n");
    return new SettingsStore(new Daemon.Options(List.of(conf), state, Map.of(), null));
  }

  @Test
  void everyEffectIncludingNoneIsRememberedAndStartsAgain() throws IOException {
    Path state = dir.resolve("state");
    for (Effect effect : List.of(new Effect.None(), new Effect.Blur(7, true), new Effect.Color(0x123456, false),
        new Effect.Image(dir.resolve("a\nb = c.png"), false), new Effect.Video(dir.resolve("v.mp4"), true))) {
      SettingsStore store = store(state);
      Settings s = store.load(true);
      s.remember(effect);
      store.save(s);
      Settings again = store(state).load(true);
      assertEquals(effect, again.effect(dir.resolve("default.png")), "after restart with " + effect);
      assertTrue(Files.exists(state), "state file moved aside for " + effect);
    }
  }

  @Test
  void anUnreadableStateFileIsMovedAsideAndTheConfigurationUsed() throws IOException {
    Path state = dir.resolve("state");
    byte[][] broken = {"mode = color\ncolor = #ff0000\nblur = \u00e9\n".getBytes(StandardCharsets.ISO_8859_1),
        "mode = color\ncolor = #ff0000\nmodel = x\\q\n".getBytes(StandardCharsets.UTF_8),
        "mode = color\ncolor = #ff0000\nnonsense\n".getBytes(StandardCharsets.UTF_8)};
    for (byte[] content : broken) {
      Files.write(state, content);
      Settings s = store(state).load(true);
      assertEquals("33", s.get("blur"), "the configuration is used");
      assertEquals("image", s.get("mode"), "nothing of the broken state is kept");
      assertFalse(Files.exists(state));
      assertTrue(Files.exists(dir.resolve("state.bad")));
    }
    Files.createDirectory(state);
    Settings s = store(state).load(true);
    assertEquals("33", s.get("blur"));
    assertFalse(Files.exists(state), "the directory in place of the state file was moved aside");
  }

  /**
   * {@code /proc/kmsg}, a regular empty file whose read waits for the next kernel message, stands for a state file on
   * a hung mount; reading it needs root, which the tests run as (a normal user fails here, never skips).
   */
  @Test
  @org.junit.jupiter.api.Timeout(value = 30, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aStateFileWhoseReadNeverReturnsIsSetAsideWithinSecondsAndTheConfigurationUsed() throws IOException {
    assertEquals("root", System.getProperty("user.name"), "reading /proc/kmsg needs root: run the tests as root");
    Path state = dir.resolve("state");
    Files.createSymbolicLink(state, Path.of("/proc/kmsg"));
    long start = System.nanoTime();
    Settings s = store(state).load(true);
    assertTrue(System.nanoTime() - start < java.util.concurrent.TimeUnit.SECONDS.toNanos(10));
    assertEquals("33", s.get("blur"), "the configuration is used");
    assertFalse(Files.exists(state, java.nio.file.LinkOption.NOFOLLOW_LINKS));
    assertTrue(Files.isSymbolicLink(dir.resolve("state.bad")), "the link is set aside, not its target");
  }

  @Test
  void aStateFileWithAByteOrderMarkIsReadNotSetAside() throws IOException {
    Path state = dir.resolve("state");
    Files.write(state, "\ufeffmode = color\ncolor = #ff0000\nmodel = selfie\n".getBytes(StandardCharsets.UTF_8));
    Settings s = store(state).load(true);
    assertEquals("color", s.get("mode"));
    assertEquals("#ff0000", s.get("color"));
    assertTrue(Files.exists(state));
    assertFalse(Files.exists(dir.resolve("state.bad")));
  }

  @Test
  void aModeVideoWithoutAFileShowsTheDefaultPictureAsAnImage() throws IOException {
    Path state = dir.resolve("state");
    Files.writeString(state, "mode = video\nbackground = \n");
    Settings s = store(state).load(true);
    assertEquals(new Effect.Image(dir.resolve("default.png"), false), s.effect(dir.resolve("default.png")));
  }

  @Test
  void commandLineOverridesNameTheirOption() throws IOException {
    Path conf = dir.resolve("vbackcam.conf");
    Files.writeString(conf, "model = meet\n");
    Settings s = new SettingsStore(new Daemon.Options(List.of(conf), dir.resolve("state"), Map.of("blur", "9"), null))
        .load(true);
    assertEquals(conf + ":1", s.origin("model").orElseThrow());
    assertEquals("--blur", s.origin("blur").orElseThrow());
  }
}
