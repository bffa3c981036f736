// SPDX-License-Identifier: MIT
package org.libcgym;

/**
 * Conversions between the two forms of CompilerGym's states (CompilerEnvState): CSV (columns
 * benchmark,reward,walltime,commandline, with or without a header line) and a JSON array of
 * states, as {@link CompilerEnv#stateCsv} and {@link CompilerEnv#stateJson} give them.
 */
public final class States {
  private States() {}

  static {
    Native.load();
  }

  /** States given as CSV (with or without header) as a JSON array
   * (cgym_states_csv_to_json); {@link InvalidArgumentException} for malformed CSV. */
  public static String csvToJson(String csv) {
    if (csv == null) throw new InvalidArgumentException("csv is null");
    return Native.statesCsvToJson(csv);
  }

  /** A JSON array of states as CSV, with a header line if asked
   * (cgym_states_json_to_csv); {@link InvalidArgumentException} for malformed JSON. */
  public static String jsonToCsv(String json, boolean header) {
    if (json == null) throw new InvalidArgumentException("json is null");
    return Native.statesJsonToCsv(json, header);
  }
}
