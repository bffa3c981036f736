// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every kind of Event through the JNI layer in both directions: as an action (Java to C to a
 * Java session) and back as an observation (the session's Java value to C to the client).
 */
class EventValuesTest {
  static final List<Event> VALUES = List.of(
      Event.none(),
      Event.ofBoolean(true),
      Event.ofLong(Long.MIN_VALUE),
      Event.ofFloat(1.5f),
      Event.ofDouble(-0.25),
      Event.ofString("h\u00e9llo \u4e16\u754c \ud83d\ude00 with a \u0000 NUL"),
      Event.ofString(""),
      Event.ofLongs(new long[] {2, 3}, new long[] {1, 2, 3, 4, 5, Long.MAX_VALUE}),
      Event.ofDoubles(new long[] {2}, new double[] {Double.MIN_VALUE, Double.NEGATIVE_INFINITY}),
      Event.ofFloats(new long[] {1, 2}, new float[] {0.5f, -3f}),
      Event.ofBytes(new long[] {3}, new byte[] {-128, 0, 127}),
      Event.ofBooleans(new long[] {2, 1}, new boolean[] {true, false}),
      Event.ofStrings(new long[] {2}, new String[] {"a\u00e9", ""}),
      Event.ofLongs(new long[] {0}, new long[] {}),
      Event.ofList(List.of(Event.ofLong(1), Event.ofString("two"),
          Event.ofList(List.of(Event.ofDouble(3))))),
      Event.ofDict(Map.of("b", Event.ofLong(2), "a", Event.ofLongs(1, 2), "\u00e9",
          Event.ofDict(Map.of("x", Event.ofBoolean(false))))),
      Event.ofAny("type.googleapis.com/compiler_gym.Opaque", new byte[] {0, 1, 2, (byte) 255}));

  /** A session that keeps its last action and returns it, or value number i, as observations. */
  static final class EchoSession extends CompilationSession {
    Event last = Event.none();

    @Override
    public void applyAction(Event action, ActionResult result) {
      last = action;
    }

    @Override
    public Event getObservation(ObservationSpace space) {
      if (space.name().equals("last")) return last;
      return VALUES.get(Integer.parseInt(space.name().substring(1)));
    }
  }

  @BeforeAll
  static void register() {
    List<ObservationSpace> spaces = new ArrayList<>();
    spaces.add(new ObservationSpace("last", Space.string(0, -1), true, false));
    for (int i = 0; i < VALUES.size(); ++i) {
      spaces.add(new ObservationSpace("v" + i, Space.string(0, -1), true, false));
    }
    Service.registerInProcess("echo", new ServiceDefinition("echo",
        List.of(new ActionSpace("any", Space.discrete(1))), spaces, (a, b, p) -> new EchoSession()));
  }

  @Test
  void observationsFromAJavaSession() {
    try (CompilerEnv env = CompilerEnv.connect("inproc:echo", TestSupport.options())) {
      env.reset();
      for (int i = 0; i < VALUES.size(); ++i) {
        assertEquals(VALUES.get(i), env.observe("v" + i), "value " + i);
      }
    }
  }

  @Test
  void actionsToAJavaSession() {
    try (CompilerEnv env = CompilerEnv.connect("inproc:echo", TestSupport.options())) {
      env.reset();
      for (int i = 0; i < VALUES.size(); ++i) {
        StepResult result = env.step(List.of(VALUES.get(i)), List.of("last"), null,
            CompilerEnv.DEFAULT_TIMEOUT_SECONDS);
        assertEquals(VALUES.get(i), result.observation(), "value " + i);
      }
    }
  }

  @Test
  void accessors() {
    Event tensor = VALUES.get(7);
    assertArrayEquals(new long[] {2, 3}, tensor.shape());
    assertEquals(Long.MAX_VALUE, tensor.longs()[5]);
    assertEquals(1.0, Event.ofBoolean(true).asDouble());
    assertEquals(7, Event.ofLong(7).asLong());
    Map<String, Event> dict = VALUES.get(15).dict();
    assertEquals(List.of("a", "b", "\u00e9"), new ArrayList<>(dict.keySet()));
    Map<String, Event> expected = new LinkedHashMap<>();
    expected.put("x", Event.ofBoolean(false));
    assertEquals(Event.ofDict(expected), dict.get("\u00e9"));
    assertEquals("type.googleapis.com/compiler_gym.Opaque", VALUES.get(16).typeUrl());
  }
}
