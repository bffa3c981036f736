// SPDX-License-Identifier: MIT
//
// Test helper for process_test.cc (NoOrphanWhenClientIsKilled): a client that spawns
// `sleep 1000` through ChildProcess from a thread that then exits, writes the child's pid to
// argv[1] (atomically, via rename), and sleeps until killed (at most 60 s).
#include <stdio.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <memory>
#include <string>
#include <thread>

#include "client/process.h"

int main(int argc, char** argv) {
  if (argc != 2) {
    fprintf(stderr, "usage: %s PID_FILE\n", argv[0]);
    return 2;
  }
  std::unique_ptr<cgym::client::ChildProcess> child;
  cgym::Status status;
  // PR_SET_PDEATHSIG fires when the thread that created the child exits: spawn from a
  // thread that exits now, and let the test check that the child survives it.
  std::thread([&] {
    cgym::client::SpawnOptions options;
    options.path = "/bin/sleep";
    options.args = {"1000"};
    status = cgym::client::ChildProcess::spawn(options, &child);
  }).join();
  if (!status.ok()) {
    fprintf(stderr, "spawn failed: %s\n", status.message().c_str());
    return 1;
  }
  const std::string path = argv[1];
  {
    std::ofstream out(path + ".tmp");
    out << child->pid() << "\n";
  }
  if (rename((path + ".tmp").c_str(), path.c_str()) != 0) return 1;
  std::this_thread::sleep_for(std::chrono::seconds(60));
  return 0;
}
