// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.libcgym.example.ExampleSession;

/**
 * The client calls beyond reset/step: typed observations, the episode's actions, parameters
 * in bulk, validation, state conversions, timeouts, and the serialization of events and
 * spaces.
 */
class ClientFeaturesTest {
  @BeforeAll
  static void register() {
    Service.registerInProcess("java-example-features", ExampleSession.definition());
  }

  static CompilerEnv connect() {
    return CompilerEnv.connect("inproc:java-example-features", TestSupport.options());
  }

  @Test
  void typedObservationsAndActions() {
    try (CompilerEnv env = connect()) {
      env.reset();
      assertEquals(List.of(), env.actions());
      env.step("a");
      env.step(List.of(Event.ofLong(2), Event.ofLong(2)), null, null);
      assertEquals(List.of(Event.ofLong(0), Event.ofLong(2), Event.ofLong(2)), env.actions());
      assertEquals(3, env.actionCount());
      assertEquals("Hello, world! a c c", env.observeString("ir"));
      assertArrayEquals(new long[] {1, 0, 2}, env.observeLongs("features"));
      assertEquals(3.0, env.observeDouble("runtime"));
      assertThrows(FailedPreconditionException.class, () -> env.observeDouble("ir"));
      assertThrows(FailedPreconditionException.class, () -> env.observeLongs("runtime"));
      assertThrows(NotFoundException.class, () -> env.observeString("nope"));
    }
  }

  @Test
  void sendParamsReturnsRepliesInOrder() {
    try (CompilerEnv env = connect()) {
      env.reset();
      Map<String, String> params = new LinkedHashMap<>();
      params.put("example.echo", "first");
      params.put("example.echo\u0000", "x"); // NUL-free keys only: this one is refused
      assertThrows(InvalidArgumentException.class, () -> env.sendParams(params));
      params.remove("example.echo\u0000");
      params.put("example.echo ", "second"); // unknown to the session
      assertThrows(InvalidArgumentException.class, () -> env.sendParams(params));
      Map<String, String> good = new LinkedHashMap<>();
      good.put("example.echo", "one");
      assertEquals(List.of("one"), env.sendParams(good, true));
      assertEquals(List.of(), env.sendParams(Map.of()));
    }
  }

  @Test
  void validateAndStateConversions() {
    try (CompilerEnv env = connect()) {
      env.reset();
      env.step("b");
      ValidationResult current = env.validate();
      assertTrue(current.okay(), current.toString());
      assertTrue(current.json().contains("\"actions_replay_failed\": false"), current.json());
      String state = env.stateJson();
      assertTrue(env.validate(state).okay());
      assertThrows(InvalidArgumentException.class, () -> env.validate("not json"));

      String csv = env.stateCsv(true);
      String json = States.csvToJson(csv);
      assertTrue(json.startsWith("[") && json.contains(TestSupport.BENCHMARK), json);
      assertEquals(csv, States.jsonToCsv(json, true));
      // The same state (walltime goes on: no second stateCsv), without the header line.
      String rows = csv.substring(csv.indexOf('\n') + 1);
      assertEquals(rows, States.jsonToCsv(json, false));
      assertEquals(json, States.csvToJson(rows));
      assertThrows(InvalidArgumentException.class, () -> States.jsonToCsv("{", true));
    }
  }

  @Test
  void timeouts() {
    try (CompilerEnv env = connect()) {
      assertThrows(InvalidArgumentException.class, () -> env.reset(-1));
      assertThrows(InvalidArgumentException.class, () -> env.reset(Double.NaN));
      env.reset(Double.POSITIVE_INFINITY);
      env.reset(CompilerEnv.DEFAULT_TIMEOUT_SECONDS);
      assertThrows(InvalidArgumentException.class,
          () -> env.step(List.of(Event.ofLong(0)), null, null, -0.5));
      StepResult result =
          env.step(List.of(Event.ofLong(0)), null, null, Double.POSITIVE_INFINITY);
      assertFalse(result.done());
    }
  }

  /** A managed service (gRPC): a deadline of 0 expires at once, which is a failed step. */
  @Test
  void expiredStepDeadlineIsAFailedStep() {
    try (CompilerEnv env =
        CompilerEnv.connect(TestSupport.exampleServiceC(), TestSupport.options())) {
      env.reset();
      StepResult result = env.step(List.of(Event.ofLong(0)), null, null, 0);
      assertTrue(result.done());
      assertEquals("TimeoutError", result.errorType());
      assertTrue(result.errorDetails().contains("Deadline Exceeded"), result.errorDetails());
    }
  }

  @Test
  void eventSerializationRoundTrips() {
    Map<String, Event> entries = new LinkedHashMap<>();
    entries.put("a\u0000b", Event.ofLong(7)); // dict keys may hold NUL
    entries.put("z", Event.ofList(List.of(Event.ofString("é\u0000😀"), Event.ofBoolean(true))));
    List<Event> events = List.of(Event.none(), Event.ofDouble(1.5), Event.ofFloat(2.5f),
        Event.ofLongs(new long[] {2, 2}, new long[] {1, 2, 3, 4}),
        Event.ofStrings(new long[] {2}, new String[] {"x", ""}),
        Event.ofAny("type.googleapis.com/compiler_gym.Opaque", new byte[] {0, 1, 2}),
        Event.ofDict(entries));
    for (Event event : events) {
      byte[] bytes = event.serialize();
      assertNotNull(bytes);
      assertEquals(event, Event.parse(bytes), event.toString());
    }
    assertEquals(Event.ofLong(7), Event.dictGet(Event.ofDict(entries), "a\u0000b"));
    assertThrows(NotFoundException.class, () -> Event.dictGet(Event.ofDict(entries), "a"));
    assertThrows(InvalidArgumentException.class, () -> Event.parse(new byte[] {(byte) 0xff}));
  }

  @Test
  void spaceSerializationRoundTrips() {
    ActionSpace action = new ActionSpace("flags", Space.namedDiscrete("-O1", "-O2"));
    assertEquals(action, ActionSpace.parse(action.serialize()));

    Map<String, Space> entries = new LinkedHashMap<>();
    entries.put("ints", Space.sequence(SpaceKind.INT64_SEQUENCE, 1, 8, -3, 3));
    entries.put("text", Space.sequence(SpaceKind.STRING_SEQUENCE, 0, -1, Double.NaN,
        Double.NaN));
    entries.put("pair", Space.list(List.of(Space.discrete(4), Space.string(0, 10))));
    entries.put("either", Space.union(List.of(Space.discrete(2), Space.discrete(3))));
    entries.put("many", Space.spaceSequence(Space.discrete(5), 0, 4));
    ObservationSpace observation = new ObservationSpace("composite", Space.dict(entries), true,
        false, Event.ofLong(1));
    ObservationSpace parsed = ObservationSpace.parse(observation.serialize());
    assertEquals(observation, parsed);
    Space ints = parsed.space().subspaces().get(parsed.space().keys().indexOf("ints"));
    assertEquals(-3, ints.minInt64());
    assertEquals(3, ints.maxInt64());
    assertEquals(8, ints.maxLength());

    Space range = Space.range(SpaceKind.INT64_RANGE, Double.NaN, 5);
    ObservationSpace ranged = ObservationSpace.parse(
        new ObservationSpace("r", range, false, false).serialize());
    assertEquals(Long.MIN_VALUE, ranged.space().minInt64());
    assertFalse(ranged.space().hasMin());
    assertEquals(5, ranged.space().maxInt64());
    assertThrows(InvalidArgumentException.class,
        () -> ActionSpace.parse(new byte[] {(byte) 0xff, 0x01}));
  }
}
