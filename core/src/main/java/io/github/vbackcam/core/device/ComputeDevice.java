package io.github.vbackcam.core.device;

import ai.djl.Device;

/** Where inference runs, and why: the service shows both. */
public record ComputeDevice(Kind kind, String reason) {

  public enum Kind { CPU, GPU }

  public Device djlDevice() {
    return kind == Kind.GPU ? Device.gpu() : Device.cpu();
  }

  @Override
  public String toString() {
    return kind + " (" + reason + ")";
  }
}
