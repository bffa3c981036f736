// SPDX-License-Identifier: MIT
package org.libcgym;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class VersionAndErrorsTest {
  @Test
  void versions() {
    // The artifact's version is the library's (scripts/check-versions.sh keeps pom.xml in step
    // with cgym.h), and the number encodes the same MAJOR.MINOR.PATCH.
    assertEquals(System.getProperty("cgym.project.version"), Cgym.version());
    String[] parts = Cgym.version().split("\\.");
    assertEquals(
        Integer.parseInt(parts[0]) * 10000
            + Integer.parseInt(parts[1]) * 100
            + Integer.parseInt(parts[2]),
        Cgym.versionNumber());
    assertEquals(Cgym.versionNumber() / 10000, Cgym.headerVersionNumber() / 10000);
    assertEquals("0.2.5", Cgym.protocolVersion());
  }

  @Test
  void statusNames() {
    assertEquals("OK", Cgym.statusName(Status.OK));
    assertEquals("INVALID_ARGUMENT", Cgym.statusName(Status.INVALID_ARGUMENT));
    assertEquals("SESSION_NOT_FOUND", Cgym.statusName(Status.SESSION_NOT_FOUND));
    assertEquals("UNKNOWN_CODE", Cgym.statusName(99));
  }

  /** Every code's class extends the class of its parent in cgym_status_parent. */
  @Test
  void hierarchyMirrorsStatusParent() {
    for (int code : Status.ALL) {
      Class<? extends CgymException> cls = CgymException.classOf(code);
      int parent = Cgym.statusParent(code);
      if (code == Status.OK) {
        assertSame(CgymException.class, cls);
        continue;
      }
      assertNotEquals(CgymException.class, cls, "code " + code + " has its own class");
      assertSame(CgymException.classOf(parent), cls.getSuperclass(),
          "parent of " + Cgym.statusName(code));
      CgymException e = CgymException.fromStatus(code, "message " + code);
      assertSame(cls, e.getClass());
      assertEquals(code, e.code());
      assertEquals("message " + code, e.getMessage());
      assertEquals(Cgym.isServiceError(code), e instanceof ServiceException, Cgym.statusName(code));
    }
    // A few fixed points of CompilerGym's hierarchy.
    assertSame(ServiceException.class, SessionNotFoundException.class.getSuperclass());
    assertSame(ServiceInitException.class, EnvironmentNotSupportedException.class.getSuperclass());
    assertSame(InvalidArgumentException.class, BenchmarkInitException.class.getSuperclass());
    assertSame(ServiceException.class, ServiceTransportException.class.getSuperclass());
    assertSame(ServiceException.class, ServiceIsClosedException.class.getSuperclass());
    assertSame(ServiceException.class, ServiceOSException.class.getSuperclass());
    assertSame(CgymException.class, CallbackException.class.getSuperclass());
    assertTrue(RuntimeException.class.isAssignableFrom(CgymException.class));
  }

  @Test
  void unknownCodeIsPlainCgymException() {
    CgymException e = CgymException.fromStatus(4242, "odd");
    assertSame(CgymException.class, e.getClass());
    assertEquals(4242, e.code());
    assertEquals("UNKNOWN_CODE", e.codeName());
    assertFalse(e instanceof ServiceException);
  }

  /** cgym_last_error_code is the calling thread's: the code of its last failed call, OK
   * after a call that succeeded. */
  @Test
  void lastErrorCodeIsPerThread() throws InterruptedException {
    assertThrows(InvalidArgumentException.class, () -> CompilerEnv.connect(""));
    assertEquals(Status.INVALID_ARGUMENT, Native.lastErrorCode());
    int[] other = new int[1];
    Thread thread = new Thread(() -> other[0] = Native.lastErrorCode());
    thread.start();
    thread.join();
    assertEquals(Status.OK, other[0]);
    Event.parse(Event.ofLong(1).serialize());
    assertEquals(Status.OK, Native.lastErrorCode());
  }

  @Test
  void eventsRejectBadShapes() {
    assertThrows(InvalidArgumentException.class,
        () -> Event.ofLongs(new long[] {2, 2}, new long[] {1, 2, 3}));
    assertThrows(FailedPreconditionException.class, () -> Event.ofString("x").asLong());
  }
}
