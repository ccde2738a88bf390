package io.github.vbackcam.service.daemon;

import io.github.vbackcam.core.FrameSource;
import io.github.vbackcam.core.VideoSize;
import io.github.vbackcam.core.device.Cameras;
import io.github.vbackcam.core.live.LiveEngine;
import io.github.vbackcam.core.source.CameraSource;
import io.github.vbackcam.core.source.PacedSource;
import io.github.vbackcam.service.Defaults;
import io.github.vbackcam.service.config.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The camera the settings name, opened afresh each time frames should flow: {@code auto} is the first real camera
 * (else the bundled sample portrait), a regular file plays as a camera, anything else is a V4L2 device.
 */
final class ConfiguredCamera implements LiveEngine.Camera {

  private static final Logger LOG = LoggerFactory.getLogger(ConfiguredCamera.class);

  private final Settings settings;
  private volatile String spec;
  private volatile String shown;

  ConfiguredCamera(Settings settings) {
    this.settings = settings;
    use(settings.get("camera"));
  }

  /** Uses {@code cameraSetting} from the next open (after a reload). */
  void use(String cameraSetting) {
    spec = cameraSetting;
    shown = cameraSetting.equals("auto") ? "auto" : Settings.expandHome(cameraSetting);
  }

  @Override
  public FrameSource open() throws IOException {
    String current = spec;
    VideoSize size = settings.size("size");
    if (current.equals("auto")) {
      var found = Cameras.find(Path.of("/sys/class/video4linux"));
      if (found.isEmpty()) {
        Path sample = Defaults.sample();
        if (!sample.toString().equals(shown)) {
          LOG.info("no camera found: showing the bundled sample portrait {} as the camera", sample);
        }
        shown = sample.toString();
        return new PacedSource(sample, size, settings.number("still-fps"));
      }
      shown = found.get();
      return openDevice(found.get(), size);
    }
    String path = Settings.expandHome(current);
    shown = path;
    if (Files.isRegularFile(Path.of(path))) {
      return new PacedSource(Path.of(path), size, settings.number("still-fps"));
    }
    return openDevice(path, size);
  }

  private FrameSource openDevice(String device, VideoSize size) throws IOException {
    var request = new CameraSource.Request(settings.get("camera-format"), settings.size("camera-size"),
        settings.number("camera-fps"));
    return new CameraSource(device, request, size);
  }

  @Override
  public String describe() {
    return shown;
  }
}
