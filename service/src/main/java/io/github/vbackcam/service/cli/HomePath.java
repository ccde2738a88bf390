package io.github.vbackcam.service.cli;

import io.github.vbackcam.core.internal.FileTypes;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;

/**
 * Reads a path option with {@code ~/} expanded from {@code $HOME}, as the shell does for a separate word but not
 * for {@code --background=~/x.png}; the configuration and D-Bus expand it the same way ({@link FileTypes#expandHome}).
 * {@code Main} registers it for every {@link Path} option.
 */
public final class HomePath implements ITypeConverter<Path> {
  @Override
  public Path convert(String value) {
    return Path.of(FileTypes.expandHome(value));
  }
}
