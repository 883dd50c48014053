#pragma once

// Streaming audio input over libsndfile: any format it reads, in fixed blocks of interleaved float.

#include "io/bwfchunks.h"
#include "util/error.h"

#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

class QIODevice;

namespace stemship::io {

struct AudioInfo {
    QString path;            // as the user gave it (or "zip.zip!inner/path")
    QString format;          // "WAV", "RF64", "W64", "AIFF", "AIFC", "FLAC", "CAF", "OGG", ...
    QString sampleFormat;    // "pcm_s8", "pcm_u8", "pcm_s16", "pcm_s24", "pcm_s32", "float32", "float64", "vorbis", ...
    std::optional<int> bitDepth;  // integer PCM bit depth; nullopt for float and lossy formats
    bool isFloat = false;
    bool lossy = false;      // coded with loss: MP3, Vorbis, Opus, ADPCM, mu-law, A-law
    int sampleRateHz = 0;
    int channels = 0;
    std::int64_t frames = 0;          // frames actually present (what read() will deliver)
    std::int64_t declaredFrames = 0;  // frames the header promises
    bool truncated = false;           // header promises more than the file holds
    QString truncationDetail;         // "data chunk ends at byte X, header says Y"
    std::uint32_t channelMask = 0;    // WAVE_FORMAT_EXTENSIBLE dwChannelMask, 0 if none
    std::optional<std::uint64_t> timeReferenceSamples;  // BWF bext TimeReference
    QString bextDescription;
    QString bextOriginator;
    // What Stemship's own chunk parser read (WAV family only): bext with its v2 loudness and UMID, iXML, and
    // the problems of chunks that are truncated, oversized or malformed (never trusted beyond what they hold).
    std::optional<BextFields> bext;
    std::optional<IxmlFields> ixml;
    QStringList metadataProblems;
    std::int64_t fileSizeBytes = 0;

    double durationSeconds() const { return sampleRateHz > 0 ? double(frames) / sampleRateHz : 0.0; }
};

// Limits that make a file "absurd" rather than audio.
inline constexpr int kMinSampleRateHz = 1000;
inline constexpr int kMaxSampleRateHz = 768000;
inline constexpr int kMaxChannels = 64;

class AudioReader {
public:
    AudioReader();
    ~AudioReader();
    AudioReader(AudioReader &&) noexcept;
    AudioReader &operator=(AudioReader &&) noexcept;

    // Opens a regular file (never a FIFO, device or directory). Errors carry the issue code
    // "unreadable" (not audio, empty, absurd header) or "unsupported_format".
    static Result<AudioReader> open(const QString &path);
    // Opens audio from a random-access device (a zip entry); displayName names it in errors.
    static Result<AudioReader> openDevice(std::unique_ptr<QIODevice> device, const QString &displayName);

    const AudioInfo &info() const;

    // Reads up to `frames` frames of interleaved float into `out` (frames * channels floats).
    // Returns frames read, 0 at the end, or -1 on a read error (see lastError()).
    std::int64_t read(float *out, std::int64_t frames);
    bool seek(std::int64_t frame);
    Error lastError() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace stemship::io
