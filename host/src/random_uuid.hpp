#pragma once

#include <string>

namespace micro_order::host {

/// A random (version 4) UUID in its 36-character text form, from the kernel's CSPRNG. Message ids
/// must never collide (the inbox drops a repeated id as a duplicate), so no weaker generator;
/// but Poco's UUIDGenerator::createRandom opens, reads and closes /dev/urandom for each one,
/// three system calls inside the write transaction. This takes the bytes 4 kB at a time.
std::string newRandomUuid();

}  // namespace micro_order::host
