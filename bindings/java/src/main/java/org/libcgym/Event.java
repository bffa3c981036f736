// SPDX-License-Identifier: MIT
package org.libcgym;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable value of CompilerGym's Event message: an action or an observation. A scalar
 * ({@link #asLong()}, {@link #asDouble()}, {@link #asBoolean()}), a string ({@link #asString()}),
 * a tensor with a shape ({@link #shape()}, {@link #longs()}, {@link #doubles()}, ...), a list,
 * a dict, or a protobuf Any. Events are plain Java objects: they are copied out of libcgym's
 * handles at once, so they hold no native memory.
 */
public final class Event {
  private final EventKind kind;
  private final Object value; // Boolean, Long, Float, Double, String, primitive array, List, Map
  private final long[] shape; // tensors only
  private final String typeUrl; // ANY only

  private Event(EventKind kind, Object value, long[] shape, String typeUrl) {
    this.kind = kind;
    this.value = value;
    this.shape = shape;
    this.typeUrl = typeUrl;
  }

  private static final Event NONE = new Event(EventKind.NONE, null, null, null);

  /** An empty event. */
  public static Event none() {
    return NONE;
  }

  public static Event ofBoolean(boolean value) {
    return new Event(EventKind.BOOL, value, null, null);
  }

  public static Event ofLong(long value) {
    return new Event(EventKind.INT64, value, null, null);
  }

  public static Event ofFloat(float value) {
    return new Event(EventKind.FLOAT, value, null, null);
  }

  public static Event ofDouble(double value) {
    return new Event(EventKind.DOUBLE, value, null, null);
  }

  public static Event ofString(String value) {
    return new Event(EventKind.STRING, Objects.requireNonNull(value), null, null);
  }

  private static long[] checkShape(long[] shape, int count) {
    long product = 1;
    for (long dim : shape) {
      if (dim < 0) throw new InvalidArgumentException("negative dimension in shape");
      product *= dim;
    }
    if (product != count) {
      throw new InvalidArgumentException(
          "shape " + Arrays.toString(shape) + " does not hold " + count + " values");
    }
    return shape.clone();
  }

  /** A one-dimensional int64 tensor. */
  public static Event ofLongs(long... values) {
    return ofLongs(new long[] {values.length}, values);
  }

  public static Event ofLongs(long[] shape, long[] values) {
    return new Event(EventKind.INT64_TENSOR, values.clone(), checkShape(shape, values.length), null);
  }

  /** A one-dimensional double tensor. */
  public static Event ofDoubles(double... values) {
    return ofDoubles(new long[] {values.length}, values);
  }

  public static Event ofDoubles(long[] shape, double[] values) {
    return new Event(
        EventKind.DOUBLE_TENSOR, values.clone(), checkShape(shape, values.length), null);
  }

  public static Event ofFloats(long[] shape, float[] values) {
    return new Event(EventKind.FLOAT_TENSOR, values.clone(), checkShape(shape, values.length), null);
  }

  public static Event ofBytes(long[] shape, byte[] values) {
    return new Event(EventKind.BYTE_TENSOR, values.clone(), checkShape(shape, values.length), null);
  }

  public static Event ofBooleans(long[] shape, boolean[] values) {
    return new Event(EventKind.BOOL_TENSOR, values.clone(), checkShape(shape, values.length), null);
  }

  public static Event ofStrings(long[] shape, String[] values) {
    for (String s : values) Objects.requireNonNull(s, "null string in a string tensor");
    return new Event(
        EventKind.STRING_TENSOR, values.clone(), checkShape(shape, values.length), null);
  }

  public static Event ofList(List<Event> items) {
    for (Event e : items) Objects.requireNonNull(e, "null item in a list event");
    return new Event(EventKind.LIST, List.copyOf(items), null, null);
  }

  /** A dict event; entries are kept in key order, as libcgym keeps them. */
  public static Event ofDict(Map<String, Event> entries) {
    Map<String, Event> copy = new LinkedHashMap<>();
    entries.keySet().stream().sorted().forEach(k -> copy.put(k, Objects.requireNonNull(entries.get(k))));
    return new Event(EventKind.DICT, Collections.unmodifiableMap(copy), null, null);
  }

  public static Event ofAny(String typeUrl, byte[] data) {
    return new Event(EventKind.ANY, data.clone(), null, Objects.requireNonNull(typeUrl));
  }

  public EventKind kind() {
    return kind;
  }

  private FailedPreconditionException wrongKind(String wanted) {
    return new FailedPreconditionException("event of kind " + kind + " is not " + wanted);
  }

  /** A BOOL or INT64 event as a long. */
  public long asLong() {
    if (kind == EventKind.INT64) return (Long) value;
    if (kind == EventKind.BOOL) return ((Boolean) value) ? 1 : 0;
    throw wrongKind("an integer");
  }

  /** Any scalar numeric event as a double. */
  public double asDouble() {
    switch (kind) {
      case DOUBLE: return (Double) value;
      case FLOAT: return (Float) value;
      case INT64: return (Long) value;
      case BOOL: return ((Boolean) value) ? 1 : 0;
      default: throw wrongKind("a number");
    }
  }

  public boolean asBoolean() {
    if (kind == EventKind.BOOL) return (Boolean) value;
    throw wrongKind("a boolean");
  }

  public String asString() {
    if (kind == EventKind.STRING) return (String) value;
    throw wrongKind("a string");
  }

  /** The shape of a tensor event (a copy). */
  public long[] shape() {
    if (!kind.isTensor()) throw wrongKind("a tensor");
    return shape.clone();
  }

  /** The values of an INT64 tensor, or an INT64 scalar as one value (a copy). */
  public long[] longs() {
    if (kind == EventKind.INT64_TENSOR) return ((long[]) value).clone();
    if (kind == EventKind.INT64) return new long[] {(Long) value};
    throw wrongKind("an int64 tensor");
  }

  public double[] doubles() {
    if (kind == EventKind.DOUBLE_TENSOR) return ((double[]) value).clone();
    throw wrongKind("a double tensor");
  }

  public float[] floats() {
    if (kind == EventKind.FLOAT_TENSOR) return ((float[]) value).clone();
    throw wrongKind("a float tensor");
  }

  public byte[] bytes() {
    if (kind == EventKind.BYTE_TENSOR) return ((byte[]) value).clone();
    if (kind == EventKind.ANY) return ((byte[]) value).clone();
    throw wrongKind("a byte tensor or an Any");
  }

  public boolean[] booleans() {
    if (kind == EventKind.BOOL_TENSOR) return ((boolean[]) value).clone();
    throw wrongKind("a bool tensor");
  }

  public String[] strings() {
    if (kind == EventKind.STRING_TENSOR) return ((String[]) value).clone();
    throw wrongKind("a string tensor");
  }

  @SuppressWarnings("unchecked")
  public List<Event> list() {
    if (kind == EventKind.LIST) return (List<Event>) value;
    throw wrongKind("a list");
  }

  @SuppressWarnings("unchecked")
  public Map<String, Event> dict() {
    if (kind == EventKind.DICT) return (Map<String, Event>) value;
    throw wrongKind("a dict");
  }

  public String typeUrl() {
    if (kind == EventKind.ANY) return typeUrl;
    throw wrongKind("an Any");
  }

  // ---- Conversions from and to libcgym's handles. ----

  /** Copies a (borrowed or owned) native event into a Java Event. */
  static Event fromNative(long handle) {
    if (handle == 0) return NONE;
    EventKind kind = EventKind.of(Native.eventKind(handle));
    switch (kind) {
      case NONE: return NONE;
      case BOOL: return ofBoolean(Native.eventGetBool(handle));
      case INT64: return ofLong(Native.eventGetInt64(handle));
      case FLOAT: return ofFloat(Native.eventGetFloat(handle));
      case DOUBLE: return ofDouble(Native.eventGetDouble(handle));
      case STRING: return ofString(Native.eventGetString(handle));
      case LIST: {
        int n = Native.eventListCount(handle);
        List<Event> items = new ArrayList<>(n);
        for (int i = 0; i < n; ++i) items.add(fromNative(Native.eventListAt(handle, i)));
        return new Event(EventKind.LIST, Collections.unmodifiableList(items), null, null);
      }
      case DICT: {
        int n = Native.eventDictCount(handle);
        Map<String, Event> entries = new LinkedHashMap<>();
        for (int i = 0; i < n; ++i) {
          entries.put(Native.eventDictKey(handle, i), fromNative(Native.eventDictValue(handle, i)));
        }
        return new Event(EventKind.DICT, Collections.unmodifiableMap(entries), null, null);
      }
      case ANY:
        return new Event(kind, Native.eventAnyData(handle), null, Native.eventAnyTypeUrl(handle));
      default: // tensors
        return new Event(kind, Native.eventTensorValues(handle), Native.eventTensorShape(handle),
            null);
    }
  }

  /** Replaces the value of a native event (owned, or handed to a session) with this one. */
  void writeTo(long handle) {
    switch (kind) {
      case NONE: Native.eventClear(handle); break;
      case BOOL: Native.eventSetBool(handle, (Boolean) value); break;
      case INT64: Native.eventSetInt64(handle, (Long) value); break;
      case FLOAT: Native.eventSetFloat(handle, (Float) value); break;
      case DOUBLE: Native.eventSetDouble(handle, (Double) value); break;
      case STRING: Native.eventSetString(handle, (String) value); break;
      case STRING_TENSOR: Native.eventSetStringTensor(handle, shape, (String[]) value); break;
      case LIST:
        Native.eventSetList(handle);
        for (Event item : list()) {
          long child = item.toNative();
          try {
            Native.eventListAppend(handle, child);
          } finally {
            Native.eventFree(child);
          }
        }
        break;
      case DICT:
        Native.eventSetDict(handle);
        for (Map.Entry<String, Event> entry : dict().entrySet()) {
          long child = entry.getValue().toNative();
          try {
            Native.eventDictSet(handle, entry.getKey(), child);
          } finally {
            Native.eventFree(child);
          }
        }
        break;
      case ANY: Native.eventSetAny(handle, typeUrl, (byte[]) value); break;
      default: Native.eventSetTensor(handle, kind.value(), shape, value); break;
    }
  }

  /** A new owned native event holding this value: the caller frees it. */
  long toNative() {
    long handle = Native.eventNew();
    try {
      writeTo(handle);
    } catch (RuntimeException | Error e) {
      Native.eventFree(handle);
      throw e;
    }
    return handle;
  }

  // ---- Serialization. ----

  /** The event as serialized compiler_gym.Event protobuf bytes (cgym_event_serialize). */
  public byte[] serialize() {
    long handle = toNative();
    try {
      return Native.eventSerialize(handle);
    } finally {
      Native.eventFree(handle);
    }
  }

  /** An event parsed from serialized compiler_gym.Event bytes (cgym_event_parse);
   * {@link InvalidArgumentException} if they are malformed. */
  public static Event parse(byte[] data) {
    long handle = Native.eventParse(Objects.requireNonNull(data));
    try {
      return fromNative(handle);
    } finally {
      Native.eventFree(handle);
    }
  }

  /** The value of a key of a native dict event, looked up by libcgym (cgym_event_dict_get);
   * {@link NotFoundException} if absent. For the binding's tests of key lookups. */
  static Event dictGet(Event dict, String key) {
    long handle = dict.toNative();
    try {
      return fromNative(Native.eventDictGet(handle, key));
    } finally {
      Native.eventFree(handle);
    }
  }

  // ---- Object. ----

  private static boolean valueEquals(Object a, Object b) {
    if (a instanceof long[]) return Arrays.equals((long[]) a, (long[]) b);
    if (a instanceof double[]) return Arrays.equals((double[]) a, (double[]) b);
    if (a instanceof float[]) return Arrays.equals((float[]) a, (float[]) b);
    if (a instanceof byte[]) return Arrays.equals((byte[]) a, (byte[]) b);
    if (a instanceof boolean[]) return Arrays.equals((boolean[]) a, (boolean[]) b);
    if (a instanceof String[]) return Arrays.equals((String[]) a, (String[]) b);
    return Objects.equals(a, b);
  }

  private static String valueString(Object a) {
    if (a instanceof long[]) return Arrays.toString((long[]) a);
    if (a instanceof double[]) return Arrays.toString((double[]) a);
    if (a instanceof float[]) return Arrays.toString((float[]) a);
    if (a instanceof byte[]) return Arrays.toString((byte[]) a);
    if (a instanceof boolean[]) return Arrays.toString((boolean[]) a);
    if (a instanceof String[]) return Arrays.toString((String[]) a);
    return String.valueOf(a);
  }

  @Override
  public boolean equals(Object other) {
    if (this == other) return true;
    if (!(other instanceof Event)) return false;
    Event that = (Event) other;
    return kind == that.kind && Arrays.equals(shape, that.shape)
        && Objects.equals(typeUrl, that.typeUrl) && valueEquals(value, that.value);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, Arrays.hashCode(shape), typeUrl, valueString(value));
  }

  @Override
  public String toString() {
    if (kind == EventKind.NONE) return "Event(NONE)";
    String s = "Event(" + kind + ", " + valueString(value);
    if (shape != null) s += ", shape=" + Arrays.toString(shape);
    if (typeUrl != null) s += ", typeUrl=" + typeUrl;
    return s + ")";
  }
}
