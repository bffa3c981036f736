// SPDX-License-Identifier: MIT
fn main() -> cgym::Result<()> {
    println!("libcgym {}", cgym::version_string());
    let mut env = cgym::make("llvm-ic-v0", None, None)?; // the installed LLVM service
    env.reset()?; // benchmark://cgym-v0/sorting
    for pass in ["-mem2reg", "-sroa", "-instcombine", "-simplifycfg", "-gvn"] {
        let (_done, reward) = env.step_name(pass)?; // IrInstructionCountOz
        println!("{pass}: reward {reward}");
    }
    Ok(())
}
