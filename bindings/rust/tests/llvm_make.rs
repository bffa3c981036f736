// SPDX-License-Identifier: MIT
//! Environments by name (`cgym::make`): every id with its default spaces, as a managed
//! service and in-process; the cost rewards computed by hand from observations; datasets;
//! benchmarks made from the user's C code; validation of states.
//!
//! `cgym::make` finds the LLVM service and plugin itself (CGYM_LLVM_SERVICE and
//! CGYM_LLVM_PLUGIN, else next to libcgym). LLVM is optional: when neither CGYM_LLVM_SERVICE
//! nor the build tree of CGYM_LIBRARY_DIR has the service, the tests that need it print why
//! and pass without running; a CGYM_LLVM_SERVICE naming a missing file fails them. The tests
//! that change those variables are in `llvm_make_env.rs` (a process of their own).
mod common;

use std::path::{Path, PathBuf};

use cgym::{Code, CostRewardKind, Dataset, Env, ErrorKind, Event, Options, Spaces, UserBenchmark};
use common::expect_code;

const FIBONACCI: &str = "benchmark://cgym-v0/fibonacci";
const IDS: [&str; 5] = [
    "llvm-v0",
    "llvm-ic-v0",
    "llvm-codesize-v0",
    "llvm-autophase-ic-v0",
    "llvm-autophase-codesize-v0",
];
/// Where `make` runs the compiler: a managed service, and in this process.
const ENDPOINTS: [Option<&str>; 2] = [None, Some("inproc")];
/// The twelve cost rewards of every LLVM env, in the order of the cross-language printer.
const REWARDS: [&str; 12] = [
    "IrInstructionCount",
    "IrInstructionCountNorm",
    "IrInstructionCountO3",
    "IrInstructionCountOz",
    "ObjectTextSizeBytes",
    "ObjectTextSizeNorm",
    "ObjectTextSizeO3",
    "ObjectTextSizeOz",
    "TextSizeBytes",
    "TextSizeNorm",
    "TextSizeO3",
    "TextSizeOz",
];
/// Per family of rewards: the cost observation and its unoptimised, -O3 and -Oz values.
const COSTS: [[&str; 4]; 3] = [
    [
        "IrInstructionCount",
        "IrInstructionCountO0",
        "IrInstructionCountO3",
        "IrInstructionCountOz",
    ],
    [
        "ObjectTextSizeBytes",
        "ObjectTextSizeO0",
        "ObjectTextSizeO3",
        "ObjectTextSizeOz",
    ],
    ["TextSizeBytes", "TextSizeO0", "TextSizeO3", "TextSizeOz"],
];

/// Whether the LLVM environment is built; prints why not.
fn llvm_available() -> bool {
    if let Ok(path) = std::env::var("CGYM_LLVM_SERVICE") {
        if !path.is_empty() {
            assert!(
                Path::new(&path).is_file(),
                "CGYM_LLVM_SERVICE={path} is not a file"
            );
            return true;
        }
    }
    let built = Path::new(env!("CGYM_CRATE_LIBRARY_DIR")).join("services/llvm/cgym-llvm-service");
    if built.is_file() {
        return true;
    }
    eprintln!(
        "skipped: no LLVM environment (CGYM_LLVM_SERVICE is unset and {} is missing)",
        built.display()
    );
    false
}

/// Options with the benchmark and bounded waits.
fn options(benchmark: &str) -> Options {
    Options::new()
        .benchmark(benchmark)
        .init_max_seconds(60.0)
        .local_service_exit_max_seconds(30.0)
}

fn make(id: &str, endpoint: Option<&str>) -> Env {
    cgym::make(id, endpoint, Some(&options(FIBONACCI)))
        .unwrap_or_else(|e| panic!("make({id}, {endpoint:?}): {e}"))
}

fn label(endpoint: Option<&str>) -> &str {
    endpoint.unwrap_or("managed")
}

/// A directory of its own for a test, under Cargo's temporary directory.
fn scratch_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join(format!("llvm_make-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[track_caller]
fn assert_close(actual: f64, expected: f64, what: &str) {
    let tolerance = 1e-12 * expected.abs().max(1.0);
    assert!(
        (actual - expected).abs() <= tolerance,
        "{what}: {actual} != {expected}"
    );
}

fn action_index(env: &Env, name: &str) -> i64 {
    let space = env.action_space().unwrap().expect("an action space");
    let names = space.names().expect("named actions");
    names.iter().position(|n| n == name).expect(name) as i64
}

#[test]
fn env_ids_are_the_five_llvm_ids() {
    assert_eq!(cgym::env_ids().unwrap(), IDS);
}

#[test]
fn service_and_plugin_paths() {
    if !llvm_available() {
        return;
    }
    // As make() finds them: this suite's variables, when set.
    for (path, variable) in [
        (cgym::service_path("llvm-v0"), "CGYM_LLVM_SERVICE"),
        (cgym::plugin_path("llvm-v0"), "CGYM_LLVM_PLUGIN"),
    ] {
        let path = path.unwrap();
        assert!(path.is_file(), "{}", path.display());
        if let Some(value) = std::env::var_os(variable).filter(|v| !v.is_empty()) {
            assert_eq!(path, PathBuf::from(value));
        }
    }
    for id in IDS {
        assert_eq!(
            cgym::service_path(id).unwrap(),
            cgym::service_path("llvm-v0").unwrap()
        );
    }
    expect_code(cgym::service_path("llvm-v9"), Code::NOT_FOUND);
    expect_code(cgym::plugin_path("llvm-v9"), Code::NOT_FOUND);
}

#[test]
fn unknown_id_is_not_found() {
    for endpoint in ENDPOINTS {
        let error = expect_code(cgym::make("llvm-v9", endpoint, None), Code::NOT_FOUND);
        assert_eq!(error.kind(), ErrorKind::NotFound);
        // The message lists the ids.
        for id in IDS {
            assert!(error.message().contains(id), "{error}");
        }
    }
    expect_code(cgym::datasets("llvm-v9"), Code::NOT_FOUND);
}

/// Every id through `make` with its default spaces, one step of -mem2reg.
fn check_every_id(endpoint: Option<&str>) {
    for id in IDS {
        let what = format!("{id} ({})", label(endpoint));
        let mut env = make(id, endpoint);
        let spaces = env.reward_spaces().unwrap();
        for reward in REWARDS {
            assert!(spaces.iter().any(|s| s == reward), "{what}: {spaces:?}");
        }

        // The default observation space: Autophase (56 features) or none.
        let observation = env.reset().unwrap();
        assert_eq!(env.benchmark(), FIBONACCI, "{what}");
        if id.starts_with("llvm-autophase-") {
            match &observation {
                Some(Event::Int64Tensor(t)) => assert_eq!(t.values.len(), 56, "{what}"),
                other => panic!("{what}: reset observed {other:?}"),
            }
        } else {
            assert_eq!(observation, None, "{what}");
        }

        // The default reward space: IrInstructionCountOz, ObjectTextSizeOz or none.
        let result = env.step(action_index(&env, "-mem2reg")).unwrap();
        assert!(!result.done && result.error.is_none(), "{what}: {result:?}");
        assert_eq!(
            result.observations.len(),
            usize::from(id.starts_with("llvm-autophase-")),
            "{what}"
        );
        let family = if id.ends_with("-ic-v0") {
            Some(&COSTS[0])
        } else if id.ends_with("-codesize-v0") {
            Some(&COSTS[1])
        } else {
            None
        };
        match family {
            None => {
                assert!(result.rewards.is_empty(), "{what}: {result:?}");
                assert_eq!(env.episode_reward(), None, "{what}");
            }
            Some([cost, o0, _, oz]) => {
                assert_eq!(result.rewards.len(), 1, "{what}: {result:?}");
                let c = env.observe_f64(cost).unwrap();
                let c0 = env.observe_f64(o0).unwrap();
                let cz = env.observe_f64(oz).unwrap();
                let expected = (c0 - c) / (c0 - cz).max(1.0);
                assert_close(result.rewards[0], expected, &what);
                assert_eq!(env.episode_reward(), Some(result.rewards[0]), "{what}");
                if id.ends_with("-ic-v0") {
                    assert!(result.rewards[0] > 0.0, "{what}: -mem2reg shrinks the IR");
                }
            }
        }
        env.close().unwrap();
    }
}

#[test]
fn every_id_managed() {
    if llvm_available() {
        check_every_id(None);
    }
}

#[test]
fn every_id_in_process() {
    if llvm_available() {
        check_every_id(Some("inproc"));
    }
}

#[test]
fn defaults_without_options_and_options_replacing_them() {
    if !llvm_available() {
        return;
    }
    for endpoint in ENDPOINTS {
        // Without options: the default benchmark.
        let mut env = cgym::make("llvm-ic-v0", endpoint, None).unwrap();
        env.reset().unwrap();
        assert_eq!(env.benchmark(), "benchmark://cgym-v0/sorting");
        drop(env);
    }
    // Spaces set in the options replace the id's ("" for none).
    let replaced = options(FIBONACCI)
        .reward_space("")
        .observation_space("IrInstructionCount");
    let mut env = cgym::make("llvm-autophase-ic-v0", Some("inproc"), Some(&replaced)).unwrap();
    let observation = env.reset().unwrap().expect("IrInstructionCount");
    assert!(observation.as_i64().unwrap() > 0, "{observation:?}");
    let result = env.step(action_index(&env, "-mem2reg")).unwrap();
    assert!(result.rewards.is_empty(), "{result:?}");
    assert_eq!(env.episode_reward(), None);
    // Unknown spaces in the options: NOT_FOUND.
    let unknown = options(FIBONACCI).reward_space("NoSuchReward");
    expect_code(
        cgym::make("llvm-v0", Some("inproc"), Some(&unknown)),
        Code::NOT_FOUND,
    );
}

/// The twelve rewards of a short episode, each computed by hand from the observations.
fn check_rewards_by_hand(endpoint: Option<&str>) {
    let mut env = make("llvm-v0", endpoint);
    env.reset().unwrap();
    // [family][O0, O3, Oz] of the unmodified benchmark.
    let baselines: Vec<[f64; 3]> = COSTS
        .iter()
        .map(|[_, o0, o3, oz]| {
            [
                env.observe_f64(o0).unwrap(),
                env.observe_f64(o3).unwrap(),
                env.observe_f64(oz).unwrap(),
            ]
        })
        .collect();
    for [o0, _, _] in &baselines {
        assert!(*o0 > 0.0, "{baselines:?}");
    }
    // Before the first step the previous cost is the unoptimised cost.
    let mut previous: Vec<f64> = baselines.iter().map(|b| b[0]).collect();
    let cost_spaces: Vec<&str> = COSTS.iter().map(|c| c[0]).collect();
    for (step, action) in ["-mem2reg", "-instcombine", "-simplifycfg", "-gvn"]
        .iter()
        .enumerate()
    {
        let result = env
            .step_with(
                &[Event::Int64(action_index(&env, action))],
                Spaces::Named(&cost_spaces),
                Spaces::Named(&REWARDS),
                None,
            )
            .unwrap();
        assert!(!result.done && result.error.is_none(), "{result:?}");
        assert_eq!(result.rewards.len(), 12);
        for (family, [o0, o3, oz]) in baselines.iter().enumerate() {
            let now = result.observations[family].as_f64().unwrap();
            // The cost observed in the step is the env's cost now.
            assert_eq!(now, env.observe_f64(cost_spaces[family]).unwrap());
            let delta = previous[family] - now;
            let expected = [
                delta,
                delta / o0,
                delta / (o0 - o3).max(1.0),
                delta / (o0 - oz).max(1.0),
            ];
            for (k, expected) in expected.iter().enumerate() {
                let index = 4 * family + k;
                assert_close(
                    result.rewards[index],
                    *expected,
                    &format!(
                        "step {} {action} {} ({})",
                        step + 1,
                        REWARDS[index],
                        label(endpoint)
                    ),
                );
            }
            previous[family] = now;
        }
        if step == 0 {
            assert!(result.rewards[0] > 0.0, "-mem2reg shrinks the IR");
        }
    }
}

#[test]
fn rewards_by_hand_in_process() {
    if llvm_available() {
        check_rewards_by_hand(Some("inproc"));
    }
}

#[test]
fn rewards_by_hand_managed() {
    if llvm_available() {
        check_rewards_by_hand(None);
    }
}

#[test]
fn add_cost_reward() {
    if !llvm_available() {
        return;
    }
    let mut env = make("llvm-v0", Some("inproc"));
    env.add_cost_reward(
        "MyOz",
        "IrInstructionCount",
        "IrInstructionCountO0",
        Some("IrInstructionCountOz"),
        CostRewardKind::Baseline,
        true,
        false,
    )
    .unwrap();
    env.add_cost_reward(
        "MyDelta",
        "IrInstructionCount",
        "IrInstructionCountO0",
        None,
        CostRewardKind::Delta,
        true,
        false,
    )
    .unwrap();
    // Replacing a reward of make(): IrInstructionCount becomes the normalized reward.
    env.add_cost_reward(
        "IrInstructionCount",
        "IrInstructionCount",
        "IrInstructionCountO0",
        None,
        CostRewardKind::Normalized,
        true,
        false,
    )
    .unwrap();
    let spaces = env.reward_spaces().unwrap();
    assert!(spaces.iter().any(|s| s == "MyOz"), "{spaces:?}");
    assert_eq!(
        spaces.iter().filter(|s| *s == "IrInstructionCount").count(),
        1,
        "{spaces:?}"
    );

    // The new rewards next to make()'s, and the default reward space.
    env.set_reward_space(Some("MyOz")).unwrap();
    env.reset().unwrap();
    let result = env
        .step_with(
            &[Event::Int64(action_index(&env, "-mem2reg"))],
            Spaces::Named(&[]),
            Spaces::Named(&[
                "MyOz",
                "IrInstructionCountOz",
                "MyDelta",
                "IrInstructionCount",
                "IrInstructionCountNorm",
            ]),
            None,
        )
        .unwrap();
    let r = &result.rewards;
    assert!(r[0] > 0.0, "{r:?}");
    assert_eq!(r[0], r[1], "{r:?}");
    let c0 = env.observe_f64("IrInstructionCountO0").unwrap();
    let c = env.observe_f64("IrInstructionCount").unwrap();
    assert_eq!(r[2], c0 - c, "{r:?}");
    assert_eq!(r[3], r[4], "{r:?}");
    assert_close(r[3], (c0 - c) / c0, "replaced IrInstructionCount");
    let (_, reward) = env.step_name("-instcombine").unwrap();
    let now = env.observe_f64("IrInstructionCount").unwrap();
    let oz = env.observe_f64("IrInstructionCountOz").unwrap();
    assert_close(
        reward,
        (c - now) / (c0 - oz).max(1.0),
        "MyOz after -instcombine",
    );

    // Errors: an unknown observation space; a baseline reward without a baseline.
    expect_code(
        env.add_cost_reward(
            "Bad",
            "NoSuchSpace",
            "IrInstructionCountO0",
            None,
            CostRewardKind::Delta,
            true,
            false,
        ),
        Code::NOT_FOUND,
    );
    expect_code(
        env.add_cost_reward(
            "Bad",
            "IrInstructionCount",
            "NoSuchSpace",
            None,
            CostRewardKind::Delta,
            true,
            false,
        ),
        Code::NOT_FOUND,
    );
    expect_code(
        env.add_cost_reward(
            "Bad",
            "IrInstructionCount",
            "IrInstructionCountO0",
            None,
            CostRewardKind::Baseline,
            true,
            false,
        ),
        Code::INVALID_ARGUMENT,
    );
    let spaces = env.reward_spaces().unwrap();
    assert!(!spaces.iter().any(|s| s == "Bad"), "{spaces:?}");
}

#[test]
fn datasets() {
    let datasets = cgym::datasets("llvm-v0").unwrap();
    let names: Vec<&str> = datasets.iter().map(Dataset::name).collect();
    assert_eq!(
        names,
        [
            "benchmark://cgym-v0",
            "generator://csmith-v0",
            "generator://llvm-stress-v0"
        ]
    );
    for id in IDS {
        assert_eq!(cgym::datasets(id).unwrap(), datasets, "{id}");
    }

    // The bundled programs.
    let bundled = &datasets[0];
    assert_eq!(bundled.to_string(), "benchmark://cgym-v0");
    let info = bundled.info().unwrap();
    assert_eq!(info.size, 22);
    assert!(!info.description.unwrap_or_default().is_empty());
    let first = bundled.benchmark_at(0).unwrap();
    assert!(first.starts_with("benchmark://cgym-v0/"), "{first}");
    let all: Vec<String> = bundled.benchmarks().collect::<cgym::Result<_>>().unwrap();
    assert_eq!(all.len(), 22);
    assert_eq!(all[0], first);
    assert_eq!(bundled.benchmark_at(21).unwrap(), all[21]);
    assert!(all.iter().any(|u| u == FIBONACCI), "{all:?}");
    assert!(all.iter().any(|u| u == "benchmark://cgym-v0/sorting"));
    let mut unique = all.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 22, "{all:?}");
    let error = expect_code(bundled.benchmark_at(22), Code::OUT_OF_RANGE);
    assert!(!error.message().is_empty());
    expect_code(bundled.benchmark_at(u64::MAX), Code::OUT_OF_RANGE);
    // A random benchmark: the same for the same seed, one of the dataset's, not always the
    // same one.
    let drawn: Vec<String> = (0..16)
        .map(|seed| bundled.random_benchmark(seed).unwrap())
        .collect();
    for (seed, uri) in drawn.iter().enumerate() {
        assert_eq!(&bundled.random_benchmark(seed as u64).unwrap(), uri);
        assert!(all.contains(uri), "{uri}");
    }
    assert!(drawn.iter().any(|u| u != &drawn[0]), "{drawn:?}");

    // Generators: endless (size 0), a benchmark per seed.
    for (generator, name) in [
        (&datasets[1], "generator://csmith-v0"),
        (&datasets[2], "generator://llvm-stress-v0"),
    ] {
        assert_eq!(generator.info().unwrap().size, 0, "{name}");
        assert_eq!(generator.benchmark_at(5).unwrap(), format!("{name}/5"));
        let first: Vec<String> = generator
            .benchmarks()
            .take(3)
            .collect::<cgym::Result<_>>()
            .unwrap();
        assert_eq!(first, [0, 1, 2].map(|i| format!("{name}/{i}")));
        let last = u64::from(u32::MAX);
        assert_eq!(
            generator.benchmark_at(last).unwrap(),
            format!("{name}/{last}")
        );
        expect_code(generator.benchmark_at(last + 1), Code::OUT_OF_RANGE);
        let a = generator.random_benchmark(42).unwrap();
        assert!(a.starts_with(&format!("{name}/")), "{a}");
        assert_eq!(generator.random_benchmark(42).unwrap(), a);
    }
    assert_eq!(
        Dataset::new("generator://csmith-v0")
            .benchmark_at(5)
            .unwrap(),
        "generator://csmith-v0/5"
    );

    // Unknown datasets: NOT_FOUND from every call; the iterator yields the error once.
    let unknown = Dataset::new("benchmark://no-such-dataset-v0");
    expect_code(unknown.info(), Code::NOT_FOUND);
    expect_code(unknown.benchmark_at(0), Code::NOT_FOUND);
    expect_code(unknown.random_benchmark(0), Code::NOT_FOUND);
    let mut benchmarks = unknown.benchmarks();
    expect_code(benchmarks.next().unwrap(), Code::NOT_FOUND);
    assert!(benchmarks.next().is_none());
}

#[test]
fn directory_dataset() {
    let dir = scratch_dir("directory");
    std::fs::write(dir.join("b.c"), "int b(void) { return 2; }\n").unwrap();
    std::fs::write(dir.join("a.c"), "int a(void) { return 1; }\n").unwrap();
    std::fs::write(dir.join("notes.txt"), "not a source\n").unwrap();
    let dataset = Dataset::new(format!("file://{}", dir.display()));
    assert_eq!(dataset.info().unwrap().size, 2);
    let uris: Vec<String> = dataset.benchmarks().collect::<cgym::Result<_>>().unwrap();
    // The sources, by name.
    assert_eq!(
        uris,
        ["a.c", "b.c"].map(|f| format!("file://{}", dir.join(f).display()))
    );
    expect_code(dataset.benchmark_at(2), Code::OUT_OF_RANGE);
    let missing = Dataset::new(format!("file://{}", dir.join("missing").display()));
    expect_code(missing.info(), Code::NOT_FOUND);
}

const PROGRAM: &str = r#"
#include <stdio.h>

static int square(int x) { return x * x; }

int main(void) {
  int total = 0;
  for (int i = 0; i < 10; ++i) total += square(i);
  printf("%d\n", total);
  return 0;
}
"#;

fn check_user_benchmark(benchmark: &UserBenchmark) {
    assert!(
        benchmark.uri.starts_with("benchmark://user-v0/"),
        "{benchmark:?}"
    );
    // LLVM bitcode's magic number.
    assert!(
        benchmark.bitcode.starts_with(b"BC\xc0\xde"),
        "{benchmark:?}"
    );
}

#[test]
fn make_benchmark_from_files_and_source() {
    let dir = scratch_dir("make_benchmark");
    let good = dir.join("program.c");
    std::fs::write(&good, PROGRAM).unwrap();
    let benchmark = cgym::make_benchmark(&[&good], &[]).unwrap();
    check_user_benchmark(&benchmark);

    if llvm_available() {
        // Reset on it, through the env and through the options.
        let mut env = make("llvm-v0", Some("inproc"));
        env.set_user_benchmark(&benchmark).unwrap();
        env.reset().unwrap();
        assert_eq!(env.benchmark(), benchmark.uri);
        let count = env.observe("IrInstructionCount").unwrap();
        assert!(count.as_i64().unwrap() > 0, "{count:?}");
        let (done, _) = env.step_name("-mem2reg").unwrap();
        assert!(!done);
        let options = Options::new().user_benchmark(&benchmark);
        let mut env = cgym::make("llvm-ic-v0", Some("inproc"), Some(&options)).unwrap();
        env.reset().unwrap();
        assert_eq!(env.benchmark(), benchmark.uri);
        assert_eq!(env.observe("IrInstructionCount").unwrap(), count);
    }

    // A missing file: NOT_FOUND.
    let error = expect_code(
        cgym::make_benchmark(&[dir.join("missing.c")], &[]),
        Code::NOT_FOUND,
    );
    assert_eq!(error.kind(), ErrorKind::NotFound);
    // A syntax error: BENCHMARK_INIT with clang's diagnostic.
    let bad = dir.join("bad.c");
    std::fs::write(&bad, "int main(void) { return 0 }\n").unwrap();
    let error = expect_code(cgym::make_benchmark(&[&bad], &[]), Code::BENCHMARK_INIT);
    assert_eq!(error.kind(), ErrorKind::BenchmarkInit);
    assert!(error.message().contains("error"), "{error}");
    assert!(error.message().contains("expected ';'"), "{error}");
    // No input, an unknown file type: INVALID_ARGUMENT.
    let no_paths: [&Path; 0] = [];
    expect_code(cgym::make_benchmark(&no_paths, &[]), Code::INVALID_ARGUMENT);
    let text = dir.join("notes.txt");
    std::fs::write(&text, "not a source\n").unwrap();
    expect_code(cgym::make_benchmark(&[&text], &[]), Code::INVALID_ARGUMENT);

    // From source; copts reach the compiler.
    let benchmark = cgym::make_benchmark_from_source(PROGRAM, "c", &[]).unwrap();
    check_user_benchmark(&benchmark);
    let needs_define = "int value(void) { return VALUE; }\n";
    expect_code(
        cgym::make_benchmark_from_source(needs_define, "c", &[]),
        Code::BENCHMARK_INIT,
    );
    let benchmark = cgym::make_benchmark_from_source(needs_define, "c", &["-DVALUE=3"]).unwrap();
    check_user_benchmark(&benchmark);
    let cxx =
        "template <typename T> T twice(T x) { return 2 * x; }\nint f() { return twice(21); }\n";
    check_user_benchmark(&cgym::make_benchmark_from_source(cxx, "c++", &[]).unwrap());
    expect_code(
        cgym::make_benchmark_from_source(PROGRAM, "fortran", &[]),
        Code::INVALID_ARGUMENT,
    );
}

/// The state JSON with its reward replaced by `reward`.
fn with_reward(state: &str, reward: f64) -> String {
    let key = "\"reward\":";
    let at = state
        .find(key)
        .unwrap_or_else(|| panic!("no reward: {state}"))
        + key.len();
    let rest = &state[at..];
    let value = rest.trim_start();
    let skipped = rest.len() - value.len();
    let end = value
        .find(|c: char| !(c.is_ascii_digit() || "+-.eE".contains(c)))
        .unwrap_or(value.len());
    assert!(end > 0, "the reward is not a number: {state}");
    format!("{}{reward}{}", &state[..at + skipped], &value[end..])
}

#[test]
fn validate_states() {
    if !llvm_available() {
        return;
    }
    let mut env = make("llvm-ic-v0", Some("inproc"));
    env.reset().unwrap();
    env.step_name("-mem2reg").unwrap();
    env.step_name("-instcombine").unwrap();
    let state = env.state_json().unwrap();

    let good = env.validate(None).unwrap();
    let json = good.json.replace([' ', '\n'], "");
    assert!(good.okay, "{}", good.json);
    assert!(json.contains("\"reward_validated\":true"), "{json}");
    assert!(
        !json.contains("\"reward_validation_failed\":true"),
        "{json}"
    );
    // fibonacci is runnable: its output is checked too.
    assert!(
        json.contains("\"benchmark_semantics_validated\":true"),
        "{json}"
    );
    assert!(env.validate(Some(&state)).unwrap().okay);

    // A wrong reward: not okay.
    let bad = env.validate(Some(&with_reward(&state, 1234.5))).unwrap();
    let json = bad.json.replace([' ', '\n'], "");
    assert!(!bad.okay, "{}", bad.json);
    assert!(json.contains("\"reward_validation_failed\":true"), "{json}");
    // A state that is not JSON: INVALID_ARGUMENT.
    expect_code(env.validate(Some("{not json")), Code::INVALID_ARGUMENT);
}
