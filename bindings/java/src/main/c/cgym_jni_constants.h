// SPDX-License-Identifier: MIT
/*
 * cgym_jni_constants.h: every integer that crosses between the JNI layer and Java, named.
 *
 * Two kinds: cgym.h's own constants (status codes, event kinds, space kinds, cost reward
 * kinds, autoreset modes), which Java mirrors in org.libcgym.Status, EventKind, SpaceKind,
 * CostRewardKind and AutoresetMode;
 * and the binding's private selectors and flag bits below, which Java mirrors in
 * org.libcgym.NativeConstants.
 * CGYM_JNI_CONSTANTS lists them all as X(java_class, java_name, value); Native.constant()
 * serves that table to Java, and ConstantsTest checks that every Java constant equals its C
 * value and that no C constant lacks a Java twin.
 */
#ifndef CGYM_JNI_CONSTANTS_H_
#define CGYM_JNI_CONSTANTS_H_

#include "cgym.h"

/* Options.setInt selectors. */
#define CGYM_JNI_OPTION_RPC_MAX_RETRIES 0
#define CGYM_JNI_OPTION_INIT_MAX_ATTEMPTS 1
#define CGYM_JNI_OPTION_ALWAYS_SEND_BENCHMARK_ON_RESET 2
/* Options.setDouble selectors. */
#define CGYM_JNI_OPTION_RETRY_WAIT_SECONDS 0
#define CGYM_JNI_OPTION_RETRY_WAIT_BACKOFF_EXPONENT 1
#define CGYM_JNI_OPTION_INIT_MAX_SECONDS 2
#define CGYM_JNI_OPTION_LOCAL_SERVICE_PORT_INIT_MAX_SECONDS 3
#define CGYM_JNI_OPTION_LOCAL_SERVICE_EXIT_MAX_SECONDS 4
#define CGYM_JNI_OPTION_RPC_INIT_MAX_SECONDS 5
/* Options.setString selectors. */
#define CGYM_JNI_OPTION_OBSERVATION_SPACE 0
#define CGYM_JNI_OPTION_REWARD_SPACE 1
#define CGYM_JNI_OPTION_ACTION_SPACE 2
#define CGYM_JNI_OPTION_SCRIPT_ARG 3
/* envSetSpace selectors. */
#define CGYM_JNI_ENV_OBSERVATION_SPACE 0
#define CGYM_JNI_ENV_REWARD_SPACE 1
#define CGYM_JNI_ENV_ACTION_SPACE 2
/* stepResultFlags bits. */
#define CGYM_JNI_STEP_DONE 1
#define CGYM_JNI_STEP_ACTION_HAD_NO_EFFECT 2
#define CGYM_JNI_STEP_NEW_ACTION_SPACE 4
/* observationSpaceFlags bits. */
#define CGYM_JNI_OBSERVATION_DETERMINISTIC 1
#define CGYM_JNI_OBSERVATION_PLATFORM_DEPENDENT 2
/* Indices of the int[] a session's applyAction and endOfStep fill, and its length. */
#define CGYM_JNI_FLAG_END_OF_EPISODE 0
#define CGYM_JNI_FLAG_ACTION_HAD_NO_EFFECT 1
#define CGYM_JNI_FLAG_NEW_ACTION_SPACE 2
#define CGYM_JNI_FLAG_COUNT 3
/* serviceSignal selectors (the signal numbers stay in C). */
#define CGYM_JNI_SIGNAL_TERM 0
#define CGYM_JNI_SIGNAL_INT 1
/* Indices of spaceRange's {min, has_min, max, has_max}. */
#define CGYM_JNI_RANGE_MIN 0
#define CGYM_JNI_RANGE_HAS_MIN 1
#define CGYM_JNI_RANGE_MAX 2
#define CGYM_JNI_RANGE_HAS_MAX 3
#define CGYM_JNI_RANGE_COUNT 4

/* clang-format off */
#define CGYM_JNI_CONSTANTS(X)                                                          \
  X("Status", "OK", CGYM_OK)                                                           \
  X("Status", "CANCELLED", CGYM_CANCELLED)                                             \
  X("Status", "UNKNOWN", CGYM_UNKNOWN)                                                 \
  X("Status", "INVALID_ARGUMENT", CGYM_INVALID_ARGUMENT)                               \
  X("Status", "DEADLINE_EXCEEDED", CGYM_DEADLINE_EXCEEDED)                             \
  X("Status", "NOT_FOUND", CGYM_NOT_FOUND)                                             \
  X("Status", "ALREADY_EXISTS", CGYM_ALREADY_EXISTS)                                   \
  X("Status", "PERMISSION_DENIED", CGYM_PERMISSION_DENIED)                             \
  X("Status", "RESOURCE_EXHAUSTED", CGYM_RESOURCE_EXHAUSTED)                           \
  X("Status", "FAILED_PRECONDITION", CGYM_FAILED_PRECONDITION)                         \
  X("Status", "ABORTED", CGYM_ABORTED)                                                 \
  X("Status", "OUT_OF_RANGE", CGYM_OUT_OF_RANGE)                                       \
  X("Status", "UNIMPLEMENTED", CGYM_UNIMPLEMENTED)                                     \
  X("Status", "INTERNAL", CGYM_INTERNAL)                                               \
  X("Status", "UNAVAILABLE", CGYM_UNAVAILABLE)                                         \
  X("Status", "DATA_LOSS", CGYM_DATA_LOSS)                                             \
  X("Status", "UNAUTHENTICATED", CGYM_UNAUTHENTICATED)                                 \
  X("Status", "SESSION_NOT_FOUND", CGYM_SESSION_NOT_FOUND)                             \
  X("Status", "SERVICE_INIT", CGYM_SERVICE_INIT)                                       \
  X("Status", "ENVIRONMENT_NOT_SUPPORTED", CGYM_ENVIRONMENT_NOT_SUPPORTED)             \
  X("Status", "SERVICE_TRANSPORT", CGYM_SERVICE_TRANSPORT)                             \
  X("Status", "SERVICE_IS_CLOSED", CGYM_SERVICE_IS_CLOSED)                             \
  X("Status", "BENCHMARK_INIT", CGYM_BENCHMARK_INIT)                                   \
  X("Status", "CALLBACK_ERROR", CGYM_CALLBACK_ERROR)                                   \
  X("EventKind", "NONE", CGYM_EVENT_NONE)                                              \
  X("EventKind", "LIST", CGYM_EVENT_LIST)                                              \
  X("EventKind", "DICT", CGYM_EVENT_DICT)                                              \
  X("EventKind", "BOOL", CGYM_EVENT_BOOL)                                              \
  X("EventKind", "INT64", CGYM_EVENT_INT64)                                            \
  X("EventKind", "FLOAT", CGYM_EVENT_FLOAT)                                            \
  X("EventKind", "DOUBLE", CGYM_EVENT_DOUBLE)                                          \
  X("EventKind", "STRING", CGYM_EVENT_STRING)                                          \
  X("EventKind", "BOOL_TENSOR", CGYM_EVENT_BOOL_TENSOR)                                \
  X("EventKind", "BYTE_TENSOR", CGYM_EVENT_BYTE_TENSOR)                                \
  X("EventKind", "INT64_TENSOR", CGYM_EVENT_INT64_TENSOR)                              \
  X("EventKind", "FLOAT_TENSOR", CGYM_EVENT_FLOAT_TENSOR)                              \
  X("EventKind", "DOUBLE_TENSOR", CGYM_EVENT_DOUBLE_TENSOR)                            \
  X("EventKind", "STRING_TENSOR", CGYM_EVENT_STRING_TENSOR)                            \
  X("EventKind", "ANY", CGYM_EVENT_ANY)                                                \
  X("SpaceKind", "NONE", CGYM_SPACE_NONE)                                              \
  X("SpaceKind", "LIST", CGYM_SPACE_LIST)                                              \
  X("SpaceKind", "DICT", CGYM_SPACE_DICT)                                              \
  X("SpaceKind", "DISCRETE", CGYM_SPACE_DISCRETE)                                      \
  X("SpaceKind", "NAMED_DISCRETE", CGYM_SPACE_NAMED_DISCRETE)                          \
  X("SpaceKind", "BOOL_RANGE", CGYM_SPACE_BOOL_RANGE)                                  \
  X("SpaceKind", "INT64_RANGE", CGYM_SPACE_INT64_RANGE)                                \
  X("SpaceKind", "FLOAT_RANGE", CGYM_SPACE_FLOAT_RANGE)                                \
  X("SpaceKind", "DOUBLE_RANGE", CGYM_SPACE_DOUBLE_RANGE)                              \
  X("SpaceKind", "STRING", CGYM_SPACE_STRING)                                          \
  X("SpaceKind", "BOOL_SEQUENCE", CGYM_SPACE_BOOL_SEQUENCE)                            \
  X("SpaceKind", "BYTE_SEQUENCE", CGYM_SPACE_BYTE_SEQUENCE)                            \
  X("SpaceKind", "BYTES_SEQUENCE", CGYM_SPACE_BYTES_SEQUENCE)                          \
  X("SpaceKind", "INT64_SEQUENCE", CGYM_SPACE_INT64_SEQUENCE)                          \
  X("SpaceKind", "FLOAT_SEQUENCE", CGYM_SPACE_FLOAT_SEQUENCE)                          \
  X("SpaceKind", "DOUBLE_SEQUENCE", CGYM_SPACE_DOUBLE_SEQUENCE)                        \
  X("SpaceKind", "STRING_SEQUENCE", CGYM_SPACE_STRING_SEQUENCE)                        \
  X("SpaceKind", "BOOL_BOX", CGYM_SPACE_BOOL_BOX)                                      \
  X("SpaceKind", "BYTE_BOX", CGYM_SPACE_BYTE_BOX)                                      \
  X("SpaceKind", "INT64_BOX", CGYM_SPACE_INT64_BOX)                                    \
  X("SpaceKind", "FLOAT_BOX", CGYM_SPACE_FLOAT_BOX)                                    \
  X("SpaceKind", "DOUBLE_BOX", CGYM_SPACE_DOUBLE_BOX)                                  \
  X("SpaceKind", "ANY", CGYM_SPACE_ANY)                                                \
  X("SpaceKind", "SPACE_SEQUENCE", CGYM_SPACE_SPACE_SEQUENCE)                          \
  X("SpaceKind", "SPACE_UNION", CGYM_SPACE_SPACE_UNION)                                \
  X("CostRewardKind", "DELTA", CGYM_COST_REWARD_DELTA)                                 \
  X("CostRewardKind", "NORMALIZED", CGYM_COST_REWARD_NORMALIZED)                       \
  X("CostRewardKind", "BASELINE", CGYM_COST_REWARD_BASELINE)                           \
  X("AutoresetMode", "NEXT_STEP", CGYM_AUTORESET_NEXT_STEP)                            \
  X("AutoresetMode", "SAME_STEP", CGYM_AUTORESET_SAME_STEP)                            \
  X("AutoresetMode", "DISABLED", CGYM_AUTORESET_DISABLED)                              \
  X("NativeConstants", "OPTION_RPC_MAX_RETRIES", CGYM_JNI_OPTION_RPC_MAX_RETRIES)     \
  X("NativeConstants", "OPTION_INIT_MAX_ATTEMPTS", CGYM_JNI_OPTION_INIT_MAX_ATTEMPTS) \
  X("NativeConstants", "OPTION_ALWAYS_SEND_BENCHMARK_ON_RESET",                        \
    CGYM_JNI_OPTION_ALWAYS_SEND_BENCHMARK_ON_RESET)                                    \
  X("NativeConstants", "OPTION_RETRY_WAIT_SECONDS", CGYM_JNI_OPTION_RETRY_WAIT_SECONDS) \
  X("NativeConstants", "OPTION_RETRY_WAIT_BACKOFF_EXPONENT",                           \
    CGYM_JNI_OPTION_RETRY_WAIT_BACKOFF_EXPONENT)                                       \
  X("NativeConstants", "OPTION_INIT_MAX_SECONDS", CGYM_JNI_OPTION_INIT_MAX_SECONDS)   \
  X("NativeConstants", "OPTION_LOCAL_SERVICE_PORT_INIT_MAX_SECONDS",                   \
    CGYM_JNI_OPTION_LOCAL_SERVICE_PORT_INIT_MAX_SECONDS)                               \
  X("NativeConstants", "OPTION_LOCAL_SERVICE_EXIT_MAX_SECONDS",                        \
    CGYM_JNI_OPTION_LOCAL_SERVICE_EXIT_MAX_SECONDS)                                    \
  X("NativeConstants", "OPTION_RPC_INIT_MAX_SECONDS", CGYM_JNI_OPTION_RPC_INIT_MAX_SECONDS) \
  X("NativeConstants", "OPTION_OBSERVATION_SPACE", CGYM_JNI_OPTION_OBSERVATION_SPACE) \
  X("NativeConstants", "OPTION_REWARD_SPACE", CGYM_JNI_OPTION_REWARD_SPACE)           \
  X("NativeConstants", "OPTION_ACTION_SPACE", CGYM_JNI_OPTION_ACTION_SPACE)           \
  X("NativeConstants", "OPTION_SCRIPT_ARG", CGYM_JNI_OPTION_SCRIPT_ARG)               \
  X("NativeConstants", "ENV_OBSERVATION_SPACE", CGYM_JNI_ENV_OBSERVATION_SPACE)       \
  X("NativeConstants", "ENV_REWARD_SPACE", CGYM_JNI_ENV_REWARD_SPACE)                 \
  X("NativeConstants", "ENV_ACTION_SPACE", CGYM_JNI_ENV_ACTION_SPACE)                 \
  X("NativeConstants", "STEP_DONE", CGYM_JNI_STEP_DONE)                               \
  X("NativeConstants", "STEP_ACTION_HAD_NO_EFFECT", CGYM_JNI_STEP_ACTION_HAD_NO_EFFECT) \
  X("NativeConstants", "STEP_NEW_ACTION_SPACE", CGYM_JNI_STEP_NEW_ACTION_SPACE)       \
  X("NativeConstants", "OBSERVATION_DETERMINISTIC", CGYM_JNI_OBSERVATION_DETERMINISTIC) \
  X("NativeConstants", "OBSERVATION_PLATFORM_DEPENDENT",                               \
    CGYM_JNI_OBSERVATION_PLATFORM_DEPENDENT)                                           \
  X("NativeConstants", "FLAG_END_OF_EPISODE", CGYM_JNI_FLAG_END_OF_EPISODE)           \
  X("NativeConstants", "FLAG_ACTION_HAD_NO_EFFECT", CGYM_JNI_FLAG_ACTION_HAD_NO_EFFECT) \
  X("NativeConstants", "FLAG_NEW_ACTION_SPACE", CGYM_JNI_FLAG_NEW_ACTION_SPACE)       \
  X("NativeConstants", "FLAG_COUNT", CGYM_JNI_FLAG_COUNT)                             \
  X("NativeConstants", "SIGNAL_TERM", CGYM_JNI_SIGNAL_TERM)                           \
  X("NativeConstants", "SIGNAL_INT", CGYM_JNI_SIGNAL_INT)                             \
  X("NativeConstants", "RANGE_MIN", CGYM_JNI_RANGE_MIN)                               \
  X("NativeConstants", "RANGE_HAS_MIN", CGYM_JNI_RANGE_HAS_MIN)                       \
  X("NativeConstants", "RANGE_MAX", CGYM_JNI_RANGE_MAX)                               \
  X("NativeConstants", "RANGE_HAS_MAX", CGYM_JNI_RANGE_HAS_MAX)                       \
  X("NativeConstants", "RANGE_COUNT", CGYM_JNI_RANGE_COUNT)
/* clang-format on */

#endif /* CGYM_JNI_CONSTANTS_H_ */
