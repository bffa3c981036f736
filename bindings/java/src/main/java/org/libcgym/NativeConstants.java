// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * The binding's private integers shared with the JNI layer: selectors and flag bits of
 * {@link Native}'s methods. Mirrors src/main/c/cgym_jni_constants.h (CGYM_JNI_*); the JUnit
 * ConstantsTest checks each value against the C table. Not public API.
 */
final class NativeConstants {
  private NativeConstants() {}

  // Native.optionsSetInt selectors.
  static final int OPTION_RPC_MAX_RETRIES = 0;
  static final int OPTION_INIT_MAX_ATTEMPTS = 1;
  static final int OPTION_ALWAYS_SEND_BENCHMARK_ON_RESET = 2;
  // Native.optionsSetDouble selectors.
  static final int OPTION_RETRY_WAIT_SECONDS = 0;
  static final int OPTION_RETRY_WAIT_BACKOFF_EXPONENT = 1;
  static final int OPTION_INIT_MAX_SECONDS = 2;
  static final int OPTION_LOCAL_SERVICE_PORT_INIT_MAX_SECONDS = 3;
  static final int OPTION_LOCAL_SERVICE_EXIT_MAX_SECONDS = 4;
  static final int OPTION_RPC_INIT_MAX_SECONDS = 5;
  // Native.optionsSetString selectors.
  static final int OPTION_OBSERVATION_SPACE = 0;
  static final int OPTION_REWARD_SPACE = 1;
  static final int OPTION_ACTION_SPACE = 2;
  static final int OPTION_SCRIPT_ARG = 3;
  // Native.envSetSpace selectors.
  static final int ENV_OBSERVATION_SPACE = 0;
  static final int ENV_REWARD_SPACE = 1;
  static final int ENV_ACTION_SPACE = 2;
  // Native.stepResultFlags bits.
  static final int STEP_DONE = 1;
  static final int STEP_ACTION_HAD_NO_EFFECT = 2;
  static final int STEP_NEW_ACTION_SPACE = 4;
  // Native.observationSpaceFlags bits.
  static final int OBSERVATION_DETERMINISTIC = 1;
  static final int OBSERVATION_PLATFORM_DEPENDENT = 2;
  // Indices of the int[] that SessionBridge.applyAction and endOfStep fill, and its length.
  static final int FLAG_END_OF_EPISODE = 0;
  static final int FLAG_ACTION_HAD_NO_EFFECT = 1;
  static final int FLAG_NEW_ACTION_SPACE = 2;
  static final int FLAG_COUNT = 3;
  // Native.serviceSignal selectors.
  static final int SIGNAL_TERM = 0;
  static final int SIGNAL_INT = 1;
  // Indices of Native.spaceRange's and spaceInt64Range's {min, has_min, max, has_max}.
  static final int RANGE_MIN = 0;
  static final int RANGE_HAS_MIN = 1;
  static final int RANGE_MAX = 2;
  static final int RANGE_HAS_MAX = 3;
  static final int RANGE_COUNT = 4;
}
