// SPDX-License-Identifier: MIT
import java.util.List;
import org.libcgym.Cgym;
import org.libcgym.CompilerEnv;

public class Quickstart {
  public static void main(String[] args) {
    try (CompilerEnv env = Cgym.make("llvm-ic-v0")) {  // reward: instructions cut, relative to -Oz
      env.reset();                                     // benchmark://cgym-v0/sorting
      for (String pass : List.of("-mem2reg", "-instcombine", "-simplifycfg", "-gvn")) {
        System.out.println(pass + " " + env.step(pass).reward());
      }
    }
  }
}
