package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.device.DeviceProbe;
import io.github.vbackcam.core.segment.EngineChoice;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.service.Defaults;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The model catalog on the probed device and the chosen engine, shared by the commands that run models. */
final class Engines {
  private static final Logger LOG = LoggerFactory.getLogger(Engines.class);

  private Engines() {}

  /**
   * The catalog on {@code engine} ({@link EngineChoice#CHOICES}), logging the choice and why in one line.
   *
   * @throws io.github.vbackcam.core.BadValue for an unknown engine name
   */
  static ModelCatalog catalog(String engine) {
    ComputeDevice device = DeviceProbe.probe();
    EngineChoice choice = EngineChoice.decide(engine, device);
    LOG.info("Inference engine: {}", choice);
    return new ModelCatalog(ModelCatalog.defaultInstallDirs(), device, Defaults.session(), choice);
  }
}
