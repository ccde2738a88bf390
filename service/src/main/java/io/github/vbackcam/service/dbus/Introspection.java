package io.github.vbackcam.service.dbus;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The interface XML shipped in the jar: the contract the service serves for introspection. */
public final class Introspection {

  public static final String RESOURCE = "/io.github.vbackcam.Control1.xml";

  private static final Pattern INTERFACE = Pattern.compile("<interface name=\"" + Pattern.quote(Control1.INTERFACE)
      + "\">.*?</interface>", Pattern.DOTALL);

  private static final String STANDARD = """
        <interface name="org.freedesktop.DBus.Introspectable">
          <method name="Introspect">
            <arg name="xml_data" type="s" direction="out"/>
          </method>
        </interface>
        <interface name="org.freedesktop.DBus.Peer">
          <method name="Ping"/>
          <method name="GetMachineId">
            <arg name="machine_uuid" type="s" direction="out"/>
          </method>
        </interface>
        <interface name="org.freedesktop.DBus.Properties">
          <method name="Get">
            <arg name="interface_name" type="s" direction="in"/>
            <arg name="property_name" type="s" direction="in"/>
            <arg name="value" type="v" direction="out"/>
          </method>
          <method name="GetAll">
            <arg name="interface_name" type="s" direction="in"/>
            <arg name="props" type="a{sv}" direction="out"/>
          </method>
          <method name="Set">
            <arg name="interface_name" type="s" direction="in"/>
            <arg name="property_name" type="s" direction="in"/>
            <arg name="value" type="v" direction="in"/>
          </method>
          <signal name="PropertiesChanged">
            <arg name="interface_name" type="s"/>
            <arg name="changed_properties" type="a{sv}"/>
            <arg name="invalidated_properties" type="as"/>
          </signal>
        </interface>
      """;

  private Introspection() {}

  /** The whole XML file as shipped. */
  public static String xml() throws IOException {
    try (InputStream in = Introspection.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IOException(RESOURCE + " is missing from the jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The {@code <interface>} element of Control1 in {@code xml}, comments included. */
  public static String controlInterface(String xml) {
    Matcher m = INTERFACE.matcher(xml);
    if (!m.find()) {
      throw new IllegalArgumentException("no <interface name=\"" + Control1.INTERFACE + "\"> in the XML");
    }
    return m.group();
  }

  /** What the object's node holds: the standard interfaces and our own, straight from the shipped file. */
  public static String nodeContents() throws IOException {
    return STANDARD + "  " + controlInterface(xml()) + "\n";
  }

  /** An interface element without comments and with whitespace normalised, for comparison. */
  public static String normalise(String element) {
    return element.replaceAll("(?s)<!--.*?-->", "")
        .replaceAll(">\\s+<", "><")
        .replaceAll("\\s+", " ")
        .replaceAll(" ?/>", "/>")
        .trim();
  }
}
