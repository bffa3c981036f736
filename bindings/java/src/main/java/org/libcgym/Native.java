// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * The JNI layer (src/main/c/*.c, registered by its JNI_OnLoad): one static native method per
 * operation of cgym.h, handles as {@code long} (0 is NULL). A failing call throws the
 * {@link CgymException} of its status. Integers that select or flag something are named in
 * {@link NativeConstants}. Not public API: use {@link CompilerEnv}, {@link Event},
 * {@link Service}.
 */
final class Native {
  private Native() {}

  static {
    NativeLoader.load();
    int header = headerVersionNumber();
    int loaded = versionNumber();
    if (header / 10000 != loaded / 10000) {
      throw new UnsatisfiedLinkError("libcgym " + versionString()
          + " is of another major version than the binding's cgym.h (" + header + ")");
    }
  }

  static void load() {}

  // Versions and status codes.
  static native int versionNumber();
  static native String versionString();
  static native String protocolVersionString();
  static native int headerVersionNumber();
  static native String statusName(int code);
  static native int statusParent(int code);
  static native boolean statusIsServiceError(int code);
  static native void setError(int code, String message);
  static native int lastErrorCode();
  /** The C value of a constant mirrored by a Java class ("Status", "EventKind", "SpaceKind",
   * "NativeConstants"); NotFoundException if C has no such constant. */
  static native int constant(String javaClass, String name);
  /** The number of constants C lists for a Java class. */
  static native int constantCount(String javaClass);

  // Options.
  static native long optionsNew();
  static native void optionsFree(long options);
  static native void optionsSetInt(long options, int which, int value);
  static native void optionsSetDouble(long options, int which, double value);
  static native void optionsSetString(long options, int which, String value);
  static native void optionsSetScriptEnv(long options, String key, String value);
  static native void optionsSetBenchmark(long options, String uri, byte[] program);
  static native void optionsSetToken(long options, String token);
  /** Turns TLS on; each path may be null. */
  static native void optionsSetTls(long options, String rootCerts, String clientCert,
      String clientKey);

  // Environments.
  static native long connect(String endpoint, long options);
  static native void envFree(long env);
  static native void envClose(long env);
  static native long envReset(long env, boolean hasTimeout, double timeoutSeconds);
  static native void envSetBenchmark(long env, String uri, byte[] program);
  static native String envBenchmark(long env);
  static native void envSetSpace(long env, int which, String name);
  static native long step(long env, long[] actions, String[] observationSpaces,
      String[] rewardSpaces, boolean hasTimeout, double timeoutSeconds);
  static native void stepResultFree(long result);
  static native int stepResultObservationCount(long result);
  static native long stepResultObservationAt(long result, int index);
  static native double[] stepResultRewards(long result);
  static native int stepResultFlags(long result);
  static native String stepResultErrorType(long result);
  static native String stepResultErrorDetails(long result);
  static native long envObserve(long env, String space);
  static native double envObserveDouble(long env, String space);
  static native long[] envObserveInt64s(long env, String space);
  static native String envObserveString(long env, String space);
  static native double envReward(long env, String space);
  static native long fork(long env);
  static native String sendParam(long env, String key, String value, boolean resendOnReset);
  static native String[] sendParams(long env, String[] keys, String[] values,
      boolean resendOnReset);
  static native String envStateJson(long env);
  static native String envStateCsv(long env, boolean header);
  static native void envApplyState(long env, String json);
  static native String envValidate(long env, String stateJson, boolean[] okay);
  static native String statesCsvToJson(String csv);
  static native String statesJsonToCsv(String json, boolean header);
  static native boolean envInEpisode(long env);
  static native double envEpisodeReward(long env);
  static native double envEpisodeWalltime(long env);
  static native int envActionCount(long env);
  static native long envActionAt(long env, int index);
  static native String[] envVersion(long env);
  static native int envActionSpaceCount(long env);
  static native long envActionSpaceAt(long env, int index);
  static native long envActionSpace(long env);
  static native int envObservationSpaceCount(long env);
  static native long envObservationSpaceAt(long env, int index);
  static native String[] envRewardSpaceNames(long env);
  static native void envAddReward(long env, String name, String[] observationSpaces,
      double defaultValue, boolean defaultNegatesReturns, boolean deterministic, Reward reward,
      boolean hasCopy);

  // Step queues, step results' status and vector envs (jni_vector.c).
  static native long stepQueueNew();
  static native void stepQueueFree(long queue);
  static native long stepQueueSize(long queue);
  /** actions: native events (borrowed); null space lists: the defaults, as for step. */
  static native void stepSubmit(long queue, long env, long[] actions, String[] observationSpaces,
      String[] rewardSpaces, boolean hasTimeout, double timeoutSeconds, long tag);
  /** The result (owned); tag[0] receives its tag. */
  static native long stepQueueNext(long queue, double timeoutSeconds, long[] tag);
  static native int stepResultStatus(long result);
  static native String stepResultStatusMessage(long result);
  /** id: null for cgym_connect's envs; endpoint: null for a managed service. */
  static native long vecEnvNew(String id, String endpoint, long numEnvs, long numServices,
      long options);
  static native void vecEnvFree(long vec);
  static native void vecEnvClose(long vec);
  static native long vecEnvNumEnvs(long vec);
  static native long vecEnvNumServices(long vec);
  /** A borrowed env. */
  static native long vecEnvAt(long vec, int index);
  /** mode: an {@link AutoresetMode#value()}. */
  static native void vecEnvSetAutoreset(long vec, int mode);
  static native int vecEnvAutoreset(long vec);
  /** mask: null for every env. */
  static native void vecEnvReset(long vec, boolean[] mask, boolean hasTimeout,
      double timeoutSeconds);
  static native void vecEnvStep(long vec, long[] actions, boolean hasTimeout,
      double timeoutSeconds);
  /** A borrowed result, or 0 for none; finalResult: cgym_vec_env_final_result. */
  static native long vecEnvResult(long vec, int index, boolean finalResult);
  static native double[] vecEnvRewards(long vec);
  static native boolean[] vecEnvDones(long vec);
  /** Row-major num_envs x width; width[0] receives the width. */
  static native long[] vecEnvObservationsInt64s(long vec, long[] width);
  static native double[] vecEnvObservationsDoubles(long vec, long[] width);

  // Environments by name, cost rewards, datasets, benchmarks (jni_make.c).
  static native String[] envIds();
  /** endpoint: null for a managed service. */
  static native long make(String id, String endpoint, long options);
  static native String envServicePath(String id, boolean plugin);
  /** baseline: null for none; kind: a {@link CostRewardKind#value()}. */
  static native void envAddCostReward(long env, String name, String costSpace,
      String initialCostSpace, String baselineCostSpace, int kind, boolean deterministic,
      boolean platformDependent);
  static native String[] datasets(String envId);
  /** The description (null for none); size[0] receives the number of benchmarks. */
  static native String datasetInfo(String dataset, long[] size);
  /** index and seed: unsigned 64-bit values in a long. */
  static native String datasetBenchmarkAt(String dataset, long index);
  static native String datasetRandomBenchmark(String dataset, long seed);
  /** The bitcode; uri[0] receives the benchmark's URI. */
  static native byte[] makeBenchmark(String[] paths, String[] copts, String[] uri);
  static native byte[] makeBenchmarkFromSource(String source, String language, String[] copts,
      String[] uri);

  // Spaces.
  static native String actionSpaceName(long space);
  static native long actionSpaceSpace(long space);
  static native String observationSpaceName(long space);
  static native long observationSpaceSpace(long space);
  static native int observationSpaceFlags(long space);
  static native long observationSpaceDefault(long space);
  static native int spaceKind(long space);
  static native String spaceTypeId(long space);
  static native long spaceDiscreteN(long space);
  static native String[] spaceNames(long space);
  static native long[] spaceBoxShape(long space);
  static native double[] spaceBoxBounds(long space);
  static native double[] spaceRange(long space);
  static native long[] spaceInt64Range(long space);
  static native long[] spaceLengthRange(long space);
  static native int spaceSubspaceCount(long space);
  static native String spaceSubspaceKey(long space, int index);
  static native long spaceSubspaceAt(long space, int index);
  static native long spaceNewDiscrete(long n);
  static native long spaceNewNamedDiscrete(String[] names);
  static native long spaceNewRange(int kind, double min, boolean hasMin, double max,
      boolean hasMax);
  static native long spaceNewString(long minLength, long maxLength);
  static native long spaceNewBox(int kind, long[] shape, double[] low, double[] high);
  static native long spaceNewSequence(int kind, long minLength, long maxLength, double scalarMin,
      boolean hasScalarMin, double scalarMax, boolean hasScalarMax);
  static native long spaceNewComposite(int kind);
  static native void spaceAdd(long space, String key, long subspace);
  static native void spaceFree(long space);
  static native long actionSpaceNew(String name, long space);
  static native void actionSpaceFree(long space);
  static native byte[] actionSpaceSerialize(long space);
  static native long actionSpaceParse(byte[] data);
  static native long observationSpaceNew(String name, long space, boolean deterministic,
      boolean platformDependent, long defaultObservation);
  static native void observationSpaceFree(long space);
  static native byte[] observationSpaceSerialize(long space);
  static native long observationSpaceParse(byte[] data);

  // Events.
  static native long eventNew();
  static native void eventFree(long event);
  static native int eventKind(long event);
  static native boolean eventGetBool(long event);
  static native long eventGetInt64(long event);
  static native float eventGetFloat(long event);
  static native double eventGetDouble(long event);
  static native String eventGetString(long event);
  static native long[] eventTensorShape(long event);
  static native Object eventTensorValues(long event);
  static native int eventListCount(long event);
  static native long eventListAt(long event, int index);
  static native int eventDictCount(long event);
  static native String eventDictKey(long event, int index);
  static native long eventDictValue(long event, int index);
  static native long eventDictGet(long event, String key);
  static native String eventAnyTypeUrl(long event);
  static native byte[] eventAnyData(long event);
  static native void eventClear(long event);
  static native void eventSetBool(long event, boolean value);
  static native void eventSetInt64(long event, long value);
  static native void eventSetFloat(long event, float value);
  static native void eventSetDouble(long event, double value);
  static native void eventSetString(long event, String value);
  static native void eventSetTensor(long event, int kind, long[] shape, Object values);
  static native void eventSetStringTensor(long event, long[] shape, String[] values);
  static native void eventSetList(long event);
  static native void eventSetDict(long event);
  static native void eventListAppend(long list, long item);
  static native void eventDictSet(long dict, String key, long value);
  static native void eventSetAny(long event, String typeUrl, byte[] data);
  static native byte[] eventSerialize(long event);
  static native long eventParse(byte[] data);

  // Services.
  /** A def that owns the definition (a JNI global reference released by the vtable's
   * service_data_free once nothing uses it). */
  static native long serviceDefNew(ServiceDefinition definition, boolean hasEndOfStep);
  static native void serviceDefFree(long def);
  static native void serviceDefAddActionSpace(long def, long space);
  static native void serviceDefAddObservationSpace(long def, long space);
  static native int serviceRun(long def, String[] argv);
  static native void serviceSignal(int which);
  static native void serviceStop();
  static native void serviceRegister(String name, long def);
  static native void serviceUnregister(String name);
  static native void serviceRegisterPlugin(String name, String path);
}
