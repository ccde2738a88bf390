package io.github.vbackcam.service.cli;

import static org.bytedeco.opencv.global.opencv_imgcodecs.imwrite;

import io.github.vbackcam.core.Frame;
import io.github.vbackcam.core.internal.FileTypes;
import io.github.vbackcam.core.internal.Images;
import io.github.vbackcam.core.internal.OutputFile;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.core.segment.Segmenter;
import io.github.vbackcam.service.config.FileReads;
import io.github.vbackcam.service.daemon.ServiceControls;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.opencv.opencv_core.Mat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code vbackcam segment}: person masks for images, as 8-bit PNGs of the same size and base name (0 background,
 * 255 person: the model's probability scaled, with no smoothing or threshold).
 */
@Command(name = "segment", mixinStandardHelpOptions = true,
    description = "Write a person mask PNG for each input image.")
public final class SegmentCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(SegmentCommand.class);

  @Spec
  CommandSpec spec;

  @Option(names = {"-i", "--input"}, required = true, paramLabel = "FILE_OR_DIR",
      description = "An image, or a directory of images.")
  Path input;

  @Option(names = {"-o", "--output"}, required = true, paramLabel = "DIR",
      description = "Where the masks go.")
  Path output;

  @Option(names = "--model", paramLabel = "MODEL", defaultValue = ModelCatalog.DEFAULT,
      completionCandidates = Choices.Models.class,
      description = "${COMPLETION-CANDIDATES}, or the path of a TF.js model.json (default ${DEFAULT-VALUE}).")
  String model;

  @Option(names = "--engine", paramLabel = "ENGINE", defaultValue = "auto",
      description = "Inference engine: auto, onnxruntime or tensorflow.")
  String engine;

  @Override
  public Integer call() throws Exception {
    for (Path path : List.of(input, output)) {
      if (path.toString().isEmpty()) { // Path.of("") is the current directory: never what an empty argument meant
        throw new ParameterException(spec.commandLine(), (path == input ? "-i/--input" : "-o/--output")
            + " is empty");
      }
    }
    // Java reads a name not valid in the file-name encoding with U+FFFD in place of the bad bytes, so every later use
    // of it (the image, its mask's name) would fail or name another file; in the POSIX locale, any non-ASCII name.
    Map<Boolean, List<Path>> byName = images(input).stream()
        .collect(Collectors.partitioningBy(SegmentCommand::nameIsEncodable));
    List<Path> images = byName.get(true);
    checkDistinctMasks(images);
    createOutputDirectory(output);
    checkMaskTargets(images, output);
    List<String> failed = new ArrayList<>();
    String encoding = System.getProperty("sun.jnu.encoding");
    for (Path unnamable : byName.get(false)) {
      LOG.error("{}: the file name is not valid {}; rename it", unnamable, "UTF-8".equals(encoding) ? "UTF-8"
          : "in this locale's file-name encoding (" + encoding + ")");
      failed.add(unnamable.getFileName().toString());
    }
    long start = System.nanoTime();
    int total = images.size() + byName.get(false).size();
    ServiceControls.checkModelFiles(model); // a file whose read never returns is named within 5 s, as in render
    try (Segmenter segmenter = Engines.catalog(engine).open(model)) {
      int done = 0;
      for (Path image : images) {
        try {
          FileReads.probe(image);
          writeMask(segmenter, image, output.resolve(maskName(image)), done);
        } catch (IOException e) {
          // One unreadable image does not cost the others their masks; the count and the exit status tell.
          LOG.error("{}", e.getMessage());
          failed.add(image.getFileName().toString());
        }
        done++;
        if (done % 25 == 0 || done == images.size()) {
          spec.commandLine().getErr().printf("segmented %d/%d%n", done, images.size());
        }
      }
    }
    int written = total - failed.size();
    LOG.info("Wrote {} masks to {} in {} ms", written, output, (System.nanoTime() - start) / 1_000_000);
    if (!failed.isEmpty()) {
      throw new IOException(failed.size() + " of " + total + " images got no mask: "
          + String.join(", ", failed) + " (the reasons are above)");
    }
    return 0;
  }

  /**
   * Whether a listed file's name survives the round trip through a Java string: a name whose bytes are not valid in
   * the file-name encoding ({@code sun.jnu.encoding}) comes back as other bytes, or cannot be encoded at all.
   */
  static boolean nameIsEncodable(Path listed) {
    try {
      return Path.of(listed.toString()).equals(listed);
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * Creates the output directory and its parents, or says what stands in the way: Java's own exceptions name only
   * the path ({@code /dev/null} exists) or blame a missing file where a directory cannot be made ({@code /proc/x}).
   */
  static void createOutputDirectory(Path output) throws IOException {
    if (Files.isDirectory(output)) {
      return;
    }
    if (Files.exists(output, LinkOption.NOFOLLOW_LINKS)) {
      throw new FileSystemException(output.toString(), null, "not a directory (-o names the directory the masks"
          + " go to)");
    }
    try {
      Files.createDirectories(output);
    } catch (IOException e) {
      String why = e instanceof AccessDeniedException a ? "permission denied on " + a.getFile()
          : e instanceof FileAlreadyExistsException x ? x.getFile() + " is not a directory"
          : e instanceof FileSystemException f && f.getReason() != null ? f.getReason()
          : "the file system does not allow it";
      throw new FileSystemException(output.toString(), null, "cannot create this directory: " + why);
    }
  }

  /** Segments one image and writes its mask beside the target, moved into place only once complete. */
  private static void writeMask(Segmenter segmenter, Path image, Path mask, long sequence) throws Exception {
    OutputFile out = OutputFile.beside(image, mask);
    try (Mat pixels = Images.readImage(image); Frame frame = Frame.copyOf(pixels, sequence)) {
      segmenter.segmentToMask(frame);
      if (!imwrite(out.temporary().toString(), frame.mask())) {
        throw new IOException("cannot write mask " + mask + " (its directory is not writable, or the disk is full)");
      }
      out.commit();
    } finally {
      out.discard();
    }
  }

  /**
   * Refuses, before anything is written, a mask that would replace one of the inputs (the output directory is the
   * input directory, by any name) or that would be written through what is not a plain file: a symbolic link (the
   * mask would land outside the output directory), a directory or a special file.
   */
  static void checkMaskTargets(List<Path> images, Path output) throws IOException {
    List<String> problems = new ArrayList<>();
    for (Path image : images) {
      Path mask = output.resolve(maskName(image));
      if (Files.isSymbolicLink(mask)) {
        problems.add(mask + " is a symbolic link");
      } else if (Files.exists(mask) && !Files.isRegularFile(mask)) {
        problems.add(mask + " is not a regular file");
      } else if (Files.exists(mask)) {
        for (Path other : images) {
          if (Files.isSameFile(other, mask)) {
            problems.add("the mask of " + image.getFileName() + " would replace the input image " + other);
          }
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IOException("cannot write the masks: " + String.join("; ", problems)
          + " (choose another output directory; nothing was written)");
    }
  }

  /** The mask's file name: the image's base name, as PNG. */
  static String maskName(Path image) {
    String name = image.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name) + ".png";
  }

  /**
   * Refuses, before anything is written, inputs whose masks would share a name ({@code same.jpg} and
   * {@code same.png}): one mask would silently replace the other.
   */
  static void checkDistinctMasks(List<Path> images) throws IOException {
    Map<String, List<String>> byMask = new TreeMap<>();
    for (Path image : images) {
      byMask.computeIfAbsent(maskName(image), k -> new ArrayList<>()).add(image.getFileName().toString());
    }
    List<String> clashes = byMask.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .map(e -> String.join(" and ", e.getValue()) + " would both write " + e.getKey()).toList();
    if (!clashes.isEmpty()) {
      throw new IOException("inputs share a base name, so their masks would overwrite each other: "
          + String.join("; ", clashes) + " (rename one; nothing was written)");
    }
  }

  private static List<Path> images(Path input) throws IOException {
    if (!Files.exists(input)) {
      throw new NoSuchFileException(input.toString(), null, "no such file or directory");
    }
    if (!Files.isDirectory(input)) {
      return List.of(input);
    }
    List<Path> images;
    List<Path> others;
    try (Stream<Path> files = Files.list(input)) {
      Map<Boolean, List<Path>> byKind = files.sorted().collect(Collectors.partitioningBy(FileTypes::isImage));
      images = byKind.get(true);
      others = byKind.get(false);
    }
    if (images.isEmpty()) {
      throw new IOException("no images (.png, .jpg, ...) in directory " + input);
    }
    if (!others.isEmpty()) {
      LOG.info("Skipped {} entries that are not still images by their names: {}", others.size(),
          others.stream().map(p -> p.getFileName().toString()).collect(Collectors.joining(", ")));
    }
    return images;
  }
}
