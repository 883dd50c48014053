#pragma once

// Checked positional writes to a file descriptor: a full disk or a file-size limit is an error, never a short
// file. Callers write in large chunks: the kernel's page-cache and extent bookkeeping is paid per call.

#include <cstddef>
#include <cstdint>

namespace stemship::io {

// Writes all n bytes at offset (retrying on EINTR and short writes). false with errno set; a write that makes no
// progress sets ENOSPC.
bool pwriteAll(int fd, const void *data, std::size_t n, std::uint64_t offset);

// Reserves [offset, offset + bytes) on disk without changing the file's size, so that a disk too small fails
// at once rather than half-way, and the writes that follow find their blocks allocated. false with errno set
// only when the space is not there (ENOSPC, EFBIG, EDQUOT); filesystems without fallocate are fine.
bool preallocate(int fd, std::uint64_t offset, std::uint64_t bytes);

}  // namespace stemship::io
