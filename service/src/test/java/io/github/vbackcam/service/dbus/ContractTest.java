package io.github.vbackcam.service.dbus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.vbackcam.core.composite.Effect;
import io.github.vbackcam.core.live.LiveState;
import io.github.vbackcam.core.live.LiveStatus;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import javax.xml.parsers.DocumentBuilderFactory;
import org.freedesktop.dbus.messages.ExportedObject;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The shipped {@code Control1.xml} against what the Java side really offers: the methods and signals dbus-java
 * generates from {@link Control1}, and the properties {@link ControlObject} serves. Each side is listed member by
 * member ("method SetBlur(in u)", "property Fps d"), so a mismatch names the member.
 */
class ContractTest {

  private final ControlObject object = new ControlObject(new SampleControls());

  @Test
  void theMethodsAndSignalsDbusJavaExportsAreTheShippedOnes() throws Exception {
    String generated = new ExportedObject(object, false).getIntrospectiondata();
    assertEquals(members(Introspection.xml(), "method", "signal"), members("<node>" + generated + "</node>",
        "method", "signal"), "Control1.xml (expected) against the interface dbus-java exports:\n" + generated);
  }

  @Test
  void thePropertiesServedAreTheShippedOnesWithTheirTypes() throws Exception {
    List<String> served = new ArrayList<>();
    object.GetAll(Control1.INTERFACE).forEach((name, value) -> served.add("property " + name + " " + value.getSig()
        + " read"));
    assertEquals(members(Introspection.xml(), "property"), new TreeSet<>(served).stream().toList());
    assertEquals("onnxruntime (requested)", object.Get(Control1.INTERFACE, "Engine"));
  }

  /** Clients and users read the list of states from the interface's doc and the manual (there: the lasting ones). */
  @Test
  void everyStateTheEngineReportsIsDocumented() throws Exception {
    String xml = Introspection.xml();
    int property = xml.indexOf("name=\"State\"");
    String doc = xml.substring(xml.lastIndexOf("<!--", property), property);
    String man = Files.readString(Path.of("../man/vbackcam.1")).replace("\\-", "-");
    String manState = man.substring(man.indexOf(".BR State "), man.indexOf(".BR StateDetail"));
    for (LiveState state : LiveState.values()) {
      assertTrue(doc.contains(state.label()), state.label()
          + " is missing from Control1.xml's State doc:" + doc);
      if (state != LiveState.STARTING && state != LiveState.STOPPED) {
        assertTrue(manState.contains(state.label()), state.label()
            + " is missing from man/vbackcam.1's State list: " + manState);
      }
    }
  }

    /** The Control1 members of these kinds in {@code xml}, one line each, sorted. */
  private static List<String> members(String xml, String... kinds) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    NodeList interfaces = doc.getElementsByTagName("interface");
    TreeSet<String> lines = new TreeSet<>();
    for (int i = 0; i < interfaces.getLength(); i++) {
      Element iface = (Element) interfaces.item(i);
      if (!iface.getAttribute("name").equals(Control1.INTERFACE)) {
        continue;
      }
      for (String kind : kinds) {
        NodeList members = iface.getElementsByTagName(kind);
        for (int j = 0; j < members.getLength(); j++) {
          lines.add(describe(kind, (Element) members.item(j)));
        }
      }
    }
    return List.copyOf(lines);
  }

  private static String describe(String kind, Element member) {
    String name = member.getAttribute("name");
    if (kind.equals("property")) {
      return "property " + name + " " + member.getAttribute("type") + " " + member.getAttribute("access");
    }
    List<String> args = new ArrayList<>();
    NodeList list = member.getElementsByTagName("arg");
    for (int k = 0; k < list.getLength(); k++) {
      Element arg = (Element) list.item(k);
      String direction = arg.getAttribute("direction");
      args.add((direction.isEmpty() ? (kind.equals("signal") ? "out" : "in") : direction) + " "
          + arg.getAttribute("type"));
    }
    return kind + " " + name + "(" + String.join(", ", args) + ")";
  }

  /** A service with every property set; the object, not this, decides names and D-Bus types. */
  private static final class SampleControls implements Controls {
    @Override
    public Status status() {
      LiveStatus live = new LiveStatus(LiveState.RUNNING, "", 30, 40, 50, 1, "fake", 100, 2, "/dev/video0",
          "/dev/video20", "selfie", new Effect.Blur(20, false));
      return new Status("0.1.0", List.of(Path.of("/usr/share/vbackcam/backgrounds/a.png")), "CPU",
          "onnxruntime (requested)", live);
    }

    @Override
    public void setEffect(String kind, Map<String, String> options) {}

    @Override
    public void setBackground(String path) {}

    @Override
    public void setBlur(long radius) {}

    @Override
    public void setColor(String color) {}

    @Override
    public void setMode(String mode) {}

    @Override
    public void setModel(String model) {}

    @Override
    public void pause() {}

    @Override
    public void resume() {}

    @Override
    public void reload() {}

    @Override
    public void held(boolean anyHold) {}
  }
}
