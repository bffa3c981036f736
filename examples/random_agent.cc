// SPDX-License-Identifier: MIT
// A random agent on libcgym's C++ client: it connects to a service (a binary it launches, a
// "host:port" or an "inproc:" name), runs a few episodes of random actions, forks the last
// one, and prints every step.
#include <CLI/CLI.hpp>

#include <iostream>
#include <random>

#include "client/env.h"

using cgym::Status;
using cgym::client::CompilerEnvState;
using cgym::client::Env;
using cgym::client::EnvOptions;
using cgym::client::StepResult;
using compiler_gym::Event;

namespace {

std::string describe(const Event& event) {
  switch (event.value_case()) {
    case Event::kStringValue:
      return '"' + event.string_value() + '"';
    case Event::kInt64Value:
      return std::to_string(event.int64_value());
    case Event::kDoubleValue:
      return std::to_string(event.double_value());
    case Event::kInt64Tensor: {
      std::string out = "[";
      for (int i = 0; i < event.int64_tensor().value_size(); ++i) {
        out += (i ? ", " : "") + std::to_string(event.int64_tensor().value(i));
      }
      return out + "]";
    }
    default:
      return event.ShortDebugString();
  }
}

int fail(const std::string& what, const Status& status) {
  std::cerr << "error: " << what << ": " << cgym::statusCodeName(status.code()) << ": "
            << status.message() << std::endl;
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  std::string endpoint;
  std::string observation = "ir";
  int episodes = 3, steps = 5;
  unsigned seed = 0;
  CLI::App app("A random agent for CompilerGym services, on libcgym's client.");
  app.add_option("--service", endpoint, "Service binary, host:port or inproc:NAME")->required();
  app.add_option("--episodes", episodes, "Episodes to run")->capture_default_str();
  app.add_option("--steps", steps, "Actions per episode")->capture_default_str();
  app.add_option("--observation", observation, "Observation space to print")->capture_default_str();
  app.add_option("--seed", seed, "Random seed")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  EnvOptions options;
  options.benchmark.emplace();
  options.benchmark->set_uri("benchmark://example-compiler-v0/foo");
  options.benchmark->mutable_program()->set_contents("Ir data");
  options.observation_space = observation;
  std::unique_ptr<Env> env;
  if (Status s = Env::make(endpoint, std::move(options), &env); !s.ok()) return fail("connect", s);

  std::string version, compiler;
  if (Status s = env->version(&version); !s.ok()) return fail("version", s);
  if (Status s = env->compilerVersion(&compiler); !s.ok()) return fail("version", s);
  std::cout << "Connected: " << env->connection()->toString() << ", service " << version
            << ", compiler " << compiler << ", action space '" << env->actionSpace().name() << "'"
            << std::endl;

  std::mt19937 rng(seed);
  const auto& names = env->actionSpace().space().named_discrete().name();
  std::uniform_int_distribution<int> pick(0, std::max(0, names.size() - 1));
  for (int episode = 0; episode < episodes; ++episode) {
    std::optional<Event> first;
    if (Status s = env->reset({}, &first); !s.ok()) return fail("reset", s);
    std::cout << "Episode " << episode << ": reset -> " << (first ? describe(*first) : "-")
              << std::endl;
    for (int step = 0; step < steps; ++step) {
      Event action;
      action.set_int64_value(pick(rng));
      StepResult result;
      if (Status s = env->step(action, &result); !s.ok()) return fail("step", s);
      std::cout << "  step " << step << ": action " << names.Get(action.int64_value()) << " -> "
                << (result.observations.empty() ? "-" : describe(result.observations[0]))
                << (result.done ? " (done)" : "") << std::endl;
      if (result.done) break;
    }
    CompilerEnvState state;
    if (Status s = env->state(&state); !s.ok()) return fail("state", s);
    std::cout << "  state: " << state.toJson() << std::endl;
  }
  std::unique_ptr<Env> fork;
  if (Status s = env->fork(&fork); !s.ok()) return fail("fork", s);
  std::cout << "Forked the last episode: " << fork->actions().size()
            << " actions replayed on session " << *fork->sessionId() << std::endl;
  if (Status s = fork->close(); !s.ok()) return fail("close fork", s);
  if (Status s = env->close(); !s.ok()) return fail("close", s);
  std::cout << "Closed." << std::endl;
  return 0;
}
