#include "io/filedigest.h"

#include <QFile>

#include <openssl/evp.h>
#include <zlib.h>

#include <atomic>
#include <vector>

#if defined(__x86_64__)
#include <immintrin.h>
#define STEMSHIP_CRC_PCLMUL 1
#endif

namespace stemship::io {

struct Sha256::Impl {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    ~Impl() { EVP_MD_CTX_free(ctx); }
};

Sha256::Sha256() : m_impl(std::make_unique<Impl>())
{
    // Only fails when out of memory; hex() then yields an empty digest, which never matches a manifest.
    if (m_impl->ctx && EVP_DigestInit_ex(m_impl->ctx, EVP_sha256(), nullptr) != 1) {
        EVP_MD_CTX_free(m_impl->ctx);
        m_impl->ctx = nullptr;
    }
}

Sha256::~Sha256() = default;

void Sha256::add(const void *data, std::size_t bytes)
{
    if (m_impl->ctx && bytes > 0 && EVP_DigestUpdate(m_impl->ctx, data, bytes) != 1) {
        EVP_MD_CTX_free(m_impl->ctx);
        m_impl->ctx = nullptr;
    }
}

QByteArray Sha256::hex()
{
    unsigned char digest[EVP_MAX_MD_SIZE];
    unsigned int length = 0;
    if (!m_impl->ctx || EVP_DigestFinal_ex(m_impl->ctx, digest, &length) != 1)
        return {};
    return QByteArray(reinterpret_cast<const char *>(digest), int(length)).toHex();
}

namespace {

std::uint32_t crc32Zlib(std::uint32_t crc, const unsigned char *p, std::size_t bytes)
{
    uLong c = crc;
    // zlib takes uInt lengths.
    for (constexpr std::size_t kMax = std::size_t(1) << 30; bytes > 0;) {
        const std::size_t n = std::min(bytes, kMax);
        c = crc32(c, p, uInt(n));
        p += n;
        bytes -= n;
    }
    return std::uint32_t(c);
}

#ifdef STEMSHIP_CRC_PCLMUL
// CRC-32 by carry-less multiplication, folding four 128-bit lanes (Gopal et al., "Fast CRC Computation for
// Generic Polynomials Using PCLMULQDQ", Intel 2009), with the bit-reflected constants for the zip polynomial
// 0xEDB88320 that Chromium's zlib uses. len >= 64 and a multiple of 16; crc is the inverted running value.
__attribute__((target("pclmul,sse4.1"))) std::uint32_t crc32Fold(const unsigned char *buf, std::size_t len, std::uint32_t crc)
{
    alignas(16) static const std::uint64_t k1k2[] = {0x0154442bd4, 0x01c6e41596};
    alignas(16) static const std::uint64_t k3k4[] = {0x01751997d0, 0x00ccaa009e};
    alignas(16) static const std::uint64_t k5k0[] = {0x0163cd6124, 0x0000000000};
    alignas(16) static const std::uint64_t poly[] = {0x01db710641, 0x01f7011641};
    __m128i x0, x1, x2, x3, x4, x5, x6, x7, x8, y5, y6, y7, y8;
    x1 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x00));
    x2 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x10));
    x3 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x20));
    x4 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x30));
    x1 = _mm_xor_si128(x1, _mm_cvtsi32_si128(int(crc)));
    x0 = _mm_load_si128(reinterpret_cast<const __m128i *>(k1k2));
    buf += 64;
    len -= 64;
    while (len >= 64) {
        x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
        x6 = _mm_clmulepi64_si128(x2, x0, 0x00);
        x7 = _mm_clmulepi64_si128(x3, x0, 0x00);
        x8 = _mm_clmulepi64_si128(x4, x0, 0x00);
        x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
        x2 = _mm_clmulepi64_si128(x2, x0, 0x11);
        x3 = _mm_clmulepi64_si128(x3, x0, 0x11);
        x4 = _mm_clmulepi64_si128(x4, x0, 0x11);
        y5 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x00));
        y6 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x10));
        y7 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x20));
        y8 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf + 0x30));
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x5), y5);
        x2 = _mm_xor_si128(_mm_xor_si128(x2, x6), y6);
        x3 = _mm_xor_si128(_mm_xor_si128(x3, x7), y7);
        x4 = _mm_xor_si128(_mm_xor_si128(x4, x8), y8);
        buf += 64;
        len -= 64;
    }
    // Fold the four lanes into one.
    x0 = _mm_load_si128(reinterpret_cast<const __m128i *>(k3k4));
    for (__m128i next : {x2, x3, x4}) {
        x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
        x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, next), x5);
    }
    while (len >= 16) {
        x2 = _mm_loadu_si128(reinterpret_cast<const __m128i *>(buf));
        x5 = _mm_clmulepi64_si128(x1, x0, 0x00);
        x1 = _mm_clmulepi64_si128(x1, x0, 0x11);
        x1 = _mm_xor_si128(_mm_xor_si128(x1, x2), x5);
        buf += 16;
        len -= 16;
    }
    // 128 to 64 bits, then Barrett reduction to 32.
    x2 = _mm_clmulepi64_si128(x1, x0, 0x10);
    x3 = _mm_setr_epi32(~0, 0, ~0, 0);
    x1 = _mm_srli_si128(x1, 8);
    x1 = _mm_xor_si128(x1, x2);
    x0 = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(k5k0));
    x2 = _mm_srli_si128(x1, 4);
    x1 = _mm_and_si128(x1, x3);
    x1 = _mm_clmulepi64_si128(x1, x0, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    x0 = _mm_load_si128(reinterpret_cast<const __m128i *>(poly));
    x2 = _mm_and_si128(x1, x3);
    x2 = _mm_clmulepi64_si128(x2, x0, 0x10);
    x2 = _mm_and_si128(x2, x3);
    x2 = _mm_clmulepi64_si128(x2, x0, 0x00);
    x1 = _mm_xor_si128(x1, x2);
    return std::uint32_t(_mm_extract_epi32(x1, 1));
}

std::atomic<bool> g_folding{true};

bool havePclmul()
{
    static const bool yes = __builtin_cpu_supports("pclmul") && __builtin_cpu_supports("sse4.1");
    return yes;
}
#endif

}  // namespace

void setCrc32Folding(bool enabled)
{
#ifdef STEMSHIP_CRC_PCLMUL
    g_folding.store(enabled, std::memory_order_relaxed);
#else
    (void)enabled;
#endif
}

std::uint32_t crc32Update(std::uint32_t crc, const void *data, std::size_t bytes)
{
    const auto *p = static_cast<const unsigned char *>(data);
#ifdef STEMSHIP_CRC_PCLMUL
    // Debian's zlib 1.2.13 computes CRC-32 with tables (~4 GB/s here); folding runs several times faster.
    if (bytes >= 64 && havePclmul() && g_folding.load(std::memory_order_relaxed)) {
        const std::size_t folded = bytes & ~std::size_t(15);
        crc = ~crc32Fold(p, folded, ~crc);
        p += folded;
        bytes -= folded;
    }
#endif
    return crc32Zlib(crc, p, bytes);
}

Result<FileDigest> digestFile(const QString &path, const CancelToken &cancel)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Unbuffered))
        return Error{path, QStringLiteral("cannot open: ") + file.errorString(), {}};
    Sha256 hash;
    FileDigest digest;
    std::vector<char> buffer(std::size_t(1) << 20);
    for (qint64 got; (got = file.read(buffer.data(), qint64(buffer.size()))) != 0;) {
        if (got < 0 || cancel.cancelled())
            return Error{path, got < 0 ? QStringLiteral("read failed") : QStringLiteral("cancelled"),
                         got < 0 ? ErrorCode::Unreadable : ErrorCode::Cancelled};
        hash.add(buffer.data(), std::size_t(got));
        digest.crc32 = crc32Update(digest.crc32, buffer.data(), std::size_t(got));
        digest.bytes += std::uint64_t(got);
    }
    digest.sha256 = hash.hex();
    if (digest.sha256.isEmpty())
        return Error{path, QStringLiteral("SHA-256 failed"), {}};
    return digest;
}

}  // namespace stemship::io
