#include "delivery/filedigest.h"

#include <QFile>

#include <openssl/evp.h>
#include <zlib.h>

#include <vector>

namespace stemship::delivery {

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

std::uint32_t crc32Update(std::uint32_t crc, const void *data, std::size_t bytes)
{
    uLong c = crc;
    const auto *p = static_cast<const Bytef *>(data);
    // zlib takes uInt lengths.
    for (constexpr std::size_t kMax = std::size_t(1) << 30; bytes > 0;) {
        const std::size_t n = std::min(bytes, kMax);
        c = crc32(c, p, uInt(n));
        p += n;
        bytes -= n;
    }
    return std::uint32_t(c);
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
                         got < 0 ? QString() : QStringLiteral("cancelled")};
        hash.add(buffer.data(), std::size_t(got));
        digest.crc32 = crc32Update(digest.crc32, buffer.data(), std::size_t(got));
        digest.bytes += std::uint64_t(got);
    }
    digest.sha256 = hash.hex();
    if (digest.sha256.isEmpty())
        return Error{path, QStringLiteral("SHA-256 failed"), {}};
    return digest;
}

}  // namespace stemship::delivery
