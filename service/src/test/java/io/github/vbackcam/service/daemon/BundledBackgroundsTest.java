package io.github.vbackcam.service.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundledBackgroundsTest {

  @TempDir
  Path dir;

  private String before;

  @BeforeEach
  void pointAtTheFolder() {
    before = System.getProperty("vbackcam.backgrounds");
    System.setProperty("vbackcam.backgrounds", dir.toString());
  }

  @AfterEach
  void restore() {
    if (before == null) {
      System.clearProperty("vbackcam.backgrounds");
    } else {
      System.setProperty("vbackcam.backgrounds", before);
    }
  }

  @Test
  void listsThePicturesAgainWhenTheFolderChanges() throws Exception {
    Files.write(dir.resolve("b.png"), new byte[1]);
    Files.write(dir.resolve("notes.txt"), new byte[1]);
    BundledBackgrounds backgrounds = new BundledBackgrounds();
    assertEquals(List.of(dir.resolve("b.png")), backgrounds.list());
    Files.write(dir.resolve("a.jpg"), new byte[1]);
    assertEquals(List.of(dir.resolve("a.jpg"), dir.resolve("b.png")), backgrounds.list());
    Files.move(dir.resolve("b.png"), dir.resolve("c.webp"));
    assertEquals(List.of(dir.resolve("a.jpg"), dir.resolve("c.webp")), backgrounds.list());
    Files.delete(dir.resolve("a.jpg"));
    assertEquals(List.of(dir.resolve("c.webp")), backgrounds.list());
  }

  @Test
  void aChangeThatLeavesTheFolderTimeAsItWasIsSeenWhileThatTimeIsRecent() throws Exception {
    FileTime now = FileTime.from(Instant.now());
    Files.write(dir.resolve("a.png"), new byte[1]);
    Files.setLastModifiedTime(dir, now);
    BundledBackgrounds backgrounds = new BundledBackgrounds();
    assertEquals(List.of(dir.resolve("a.png")), backgrounds.list());
    Files.write(dir.resolve("b.png"), new byte[1]); // in the same tick of the folder's clock
    Files.setLastModifiedTime(dir, now);
    assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.png")), backgrounds.list());
  }

  @Test
  void aSettledListingIsKeptUntilTheFolderChanges() throws Exception {
    FileTime old = FileTime.from(Instant.now().minus(BundledBackgrounds.SETTLING.multipliedBy(2)));
    Files.write(dir.resolve("a.png"), new byte[1]);
    Files.setLastModifiedTime(dir, old);
    BundledBackgrounds backgrounds = new BundledBackgrounds();
    assertEquals(List.of(dir.resolve("a.png")), backgrounds.list());
    // A file that appears without changing the folder's time (as no real change does) is not seen: the listing is
    // not read again, which is the point.
    Files.write(dir.resolve("b.png"), new byte[1]);
    Files.setLastModifiedTime(dir, old);
    assertEquals(List.of(dir.resolve("a.png")), backgrounds.list());
    Files.setLastModifiedTime(dir, FileTime.from(Instant.now()));
    assertEquals(List.of(dir.resolve("a.png"), dir.resolve("b.png")), backgrounds.list());
  }

  @Test
  void aFolderReplacedByAnotherOfTheSameTimeIsListedAgain() throws Exception {
    FileTime old = FileTime.from(Instant.now().minus(BundledBackgrounds.SETTLING.multipliedBy(2)));
    Path folder = dir.resolve("backgrounds");
    Files.createDirectories(folder);
    System.setProperty("vbackcam.backgrounds", folder.toString());
    Files.write(folder.resolve("a.png"), new byte[1]);
    Files.setLastModifiedTime(folder, old);
    BundledBackgrounds backgrounds = new BundledBackgrounds();
    assertEquals(List.of(folder.resolve("a.png")), backgrounds.list());
    Path update = Files.createDirectories(dir.resolve("update"));
    Files.write(update.resolve("b.png"), new byte[1]);
    Files.setLastModifiedTime(update, old);
    Files.move(folder, dir.resolve("previous"));
    Files.move(update, folder);
    assertEquals(List.of(folder.resolve("b.png")), backgrounds.list());
  }

  @Test
  void aFolderThatIsGoneListsNothingAndIsListedAgainWhenBack() throws Exception {
    Files.write(dir.resolve("a.png"), new byte[1]);
    BundledBackgrounds backgrounds = new BundledBackgrounds();
    assertEquals(List.of(dir.resolve("a.png")), backgrounds.list());
    Files.delete(dir.resolve("a.png"));
    Files.delete(dir);
    assertEquals(List.of(), backgrounds.list());
    Files.createDirectories(dir);
    Files.write(dir.resolve("b.png"), new byte[1]);
    assertEquals(List.of(dir.resolve("b.png")), backgrounds.list());
  }
}
