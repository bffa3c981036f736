// SPDX-License-Identifier: MIT
// In-process services: session types registered by name in this process, reached through an
// "inproc:NAME" endpoint by straight calls into a service runtime (no RPC, no serialization).
// This header does not include the service's headers: the client's only way into src/service
// is inprocess_transport.cc.
#pragma once

#include <filesystem>
#include <functional>
#include <memory>
#include <string>

#include "client/transport.h"
#include "common/status.h"

namespace cgym {

class CompilationSession;
// Makes a new session: the same type as SessionFactory of service/service_core.h, declared
// again so that this header need not include it. inprocess_transport.cc sees both
// declarations, so the compiler checks that they agree.
using SessionFactory = std::function<std::unique_ptr<CompilationSession>(
    const std::filesystem::path& workingDirectory)>;

}  // namespace cgym

namespace cgym::client {

// Registers a service under `name`; registering a name again replaces it.
void registerInProcessService(const std::string& name, SessionFactory factory);
// False if no service has this name.
bool unregisterInProcessService(const std::string& name);
// The factory registered under `name`, or nullptr.
SessionFactory findInProcessService(const std::string& name);

// A transport calling a new service runtime in this process that makes its sessions with
// `factory` and shares `workingDirectory` (which must exist) between them. Timeouts do not
// apply: a call runs to completion. Fails with SERVICE_INIT if the factory cannot make a
// session to read the spaces from.
Status makeInProcessTransport(SessionFactory factory, const std::filesystem::path& workingDirectory,
                              std::shared_ptr<Transport>* out);

}  // namespace cgym::client
