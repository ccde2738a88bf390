package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.device.ComputeDevice;
import io.github.vbackcam.core.device.DeviceProbe;
import io.github.vbackcam.core.segment.ModelCatalog;
import io.github.vbackcam.service.Defaults;

/** The model catalog on the probed device, shared by the commands that run models. */
final class Engines {
  private Engines() {}

  static ModelCatalog catalog() {
    ComputeDevice device = DeviceProbe.probe();
    return new ModelCatalog(ModelCatalog.defaultInstallDirs(), device, Defaults.session());
  }
}
