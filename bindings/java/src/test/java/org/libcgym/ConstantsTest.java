// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every integer shared by Java and the JNI layer is defined once in C (cgym.h's constants, and
 * the binding's selectors of src/main/c/cgym_jni_constants.h) and mirrored once in Java: each
 * Java constant equals its C value, and C has no constant that Java lacks.
 */
class ConstantsTest {
  /** The static final int fields of a class (Status.ALL is an array, not a constant). */
  private static List<Field> intConstants(Class<?> cls) {
    List<Field> fields = new ArrayList<>();
    for (Field field : cls.getDeclaredFields()) {
      int m = field.getModifiers();
      if (Modifier.isStatic(m) && Modifier.isFinal(m) && field.getType() == int.class) {
        fields.add(field);
      }
    }
    return fields;
  }

  private static void checkIntConstants(Class<?> cls) throws IllegalAccessException {
    List<Field> fields = intConstants(cls);
    for (Field field : fields) {
      field.setAccessible(true);
      assertEquals(Native.constant(cls.getSimpleName(), field.getName()), field.getInt(null),
          cls.getSimpleName() + "." + field.getName());
    }
    assertEquals(Native.constantCount(cls.getSimpleName()), fields.size(),
        "constants of " + cls.getSimpleName() + " in C and in Java");
  }

  @Test
  void statusCodesEqualCgymH() throws IllegalAccessException {
    checkIntConstants(Status.class);
    assertEquals(intConstants(Status.class).size(), Status.ALL.length);
  }

  @Test
  void everyNamedStatusCodeIsInStatus() {
    // cgym_status_name knows every code of cgym.h: none of them may be missing in Java.
    for (int code = 0; code < 1000; ++code) {
      final int c = code;
      if (!Cgym.statusName(code).equals("UNKNOWN_CODE")) {
        assertTrue(Arrays.stream(Status.ALL).anyMatch(x -> x == c), Cgym.statusName(code));
      }
    }
  }

  @Test
  void bindingSelectorsEqualTheCHeader() throws IllegalAccessException {
    checkIntConstants(NativeConstants.class);
  }

  @Test
  void eventKindsEqualCgymH() {
    for (EventKind kind : EventKind.values()) {
      assertEquals(Native.constant("EventKind", kind.name()), kind.value(), kind.name());
      assertEquals(kind, EventKind.of(kind.value()));
    }
    assertEquals(Native.constantCount("EventKind"), EventKind.values().length);
  }

  @Test
  void spaceKindsEqualCgymH() {
    for (SpaceKind kind : SpaceKind.values()) {
      assertEquals(Native.constant("SpaceKind", kind.name()), kind.value(), kind.name());
      assertEquals(kind, SpaceKind.of(kind.value()));
    }
    assertEquals(Native.constantCount("SpaceKind"), SpaceKind.values().length);
  }

  @Test
  void costRewardKindsEqualCgymH() {
    for (CostRewardKind kind : CostRewardKind.values()) {
      assertEquals(Native.constant("CostRewardKind", kind.name()), kind.value(), kind.name());
    }
    assertEquals(Native.constantCount("CostRewardKind"), CostRewardKind.values().length);
  }

  @Test
  void autoresetModesEqualCgymH() {
    for (AutoresetMode mode : AutoresetMode.values()) {
      assertEquals(Native.constant("AutoresetMode", mode.name()), mode.value(), mode.name());
      assertEquals(mode, AutoresetMode.of(mode.value()));
    }
    assertEquals(Native.constantCount("AutoresetMode"), AutoresetMode.values().length);
  }

  @Test
  void unknownConstantIsNotFound() {
    assertThrows(NotFoundException.class, () -> Native.constant("Status", "NO_SUCH_CODE"));
    assertEquals(0, Native.constantCount("NoSuchClass"));
  }
}
