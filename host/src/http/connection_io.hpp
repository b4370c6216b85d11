#pragma once

// What the two halves of Connection (reading, answering) share about socket reads.

#include <array>
#include <boost/asio/error.hpp>
#include <boost/system/error_code.hpp>
#include <cstddef>
#include <utility>  // before Asio, see io_loops.hpp

namespace micro_order::host::connection_io {

/// Read size per readiness: a whole typical request, a fair share of a large body.
inline constexpr std::size_t kReadSize = 16 * 1024;

/// The loop thread's read buffer: bytes land here first, and a connection keeps only what a
/// request leaves unparsed, so an idle connection holds no buffer.
inline char* scratch() {
    thread_local std::array<char, kReadSize> buffer;
    return buffer.data();
}

inline bool wouldBlock(const boost::system::error_code& error) {
    return error == boost::asio::error::would_block || error == boost::asio::error::try_again;
}

}  // namespace micro_order::host::connection_io
