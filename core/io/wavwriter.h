#pragma once

// Streaming WAV/RF64 writer through libsndfile: bext chunk, ID3v2 + RIFF INFO tags, temp file beside the
// destination, commit by rename. Every write is checked; nothing appears at the destination unless commit()
// succeeds. The delivery does not write through it: a delivered WAV's bytes are laid out by wavheader.h from the
// same WavWriterSpec (the tests compare the two). Its length need not be known in advance.

#include "io/bwfchunks.h"
#include "util/error.h"

#include <QDateTime>
#include <QString>

#include <cstdint>
#include <memory>
#include <optional>

namespace stemship::io {

enum class SampleEncoding { Pcm16, Pcm24, Pcm32, Float32 };

int bitsOf(SampleEncoding encoding);  // 16, 24, 32, 32
// 16 -> Pcm16, 24 -> Pcm24, 32 -> Pcm32; anything else nullopt. Float32 is asked for by name.
std::optional<SampleEncoding> pcmEncodingForBits(int bits);

// EBU Tech 3285 (BWF) bext fields we set.
struct BroadcastInfo {
    QString description;          // 256 bytes max
    QString originator;           // 32
    QString originatorReference;  // 32
    QString codingHistory;        // e.g. "A=PCM,F=48000,W=24,M=stereo,T=Stemship"
    std::uint64_t timeReferenceSamples = 0;  // first sample's position since midnight / timeline zero
    // Origination date and time; invalid = now. A delivery stamps all its files with one time, taken before any
    // worker starts (localtime's first use is not something to race on).
    QDateTime originated;
    // bext version 2 loudness fields (EBU Tech 3285 v2), written when set.
    std::optional<double> integratedLufs;
    std::optional<double> loudnessRangeLu;
    std::optional<double> maxTruePeakDbtp;
    std::optional<double> maxMomentaryLufs;
    std::optional<double> maxShortTermLufs;
    Umid umid{};  // SMPTE ST 330 basic UMID in the first 32 bytes (newBasicUmid); all zero = none
};

struct WavTags {
    QString title;
    double tempoBpm = 0.0;  // 0 = not written
    QString version;        // ID3v2 TXXX:VERSION
    QString comment;
};

struct WavWriterSpec {
    QString path;  // destination; written as a temporary beside it until commit()
    int sampleRateHz = 48000;
    int channels = 2;
    SampleEncoding encoding = SampleEncoding::Pcm24;
    BroadcastInfo bext;
    // WAVE_FORMAT_EXTENSIBLE dwChannelMask (channels in the mask's bit order); 0 = libsndfile's default.
    std::uint32_t channelMask = 0;
    std::optional<IxmlFields> ixml;  // appended after the tags when set
    WavTags tags;
    // fsync before the rename. Off for intermediates that are copied on and deleted (the delivery's work files):
    // forcing them to disk only waits for the device.
    bool syncToDisk = true;
};

class WavWriter {
public:
    WavWriter();
    ~WavWriter();  // discards an uncommitted file
    WavWriter(WavWriter &&) noexcept;
    WavWriter &operator=(WavWriter &&) noexcept;

    static Result<WavWriter> create(const WavWriterSpec &spec);

    // Interleaved float in [-1, 1] (any encoding; PCM is rounded and clipped by libsndfile).
    Status writeFloat(const float *interleaved, std::int64_t frames);
    // Interleaved PCM, left-justified in 32 bits (a 24-bit sample s is s << 8), as libsndfile's sf_writef_int.
    Status writePcm(const std::int32_t *interleaved, std::int64_t frames);
    // PCM already as the data chunk holds it: little-endian, bitsOf(encoding) / 8 bytes per sample, interleaved.
    Status writePacked(const void *bytes, std::int64_t frames);

    // Closes, checks the file reads back with the frames written, writes tags, renames over the destination.
    Status commit();
    // Closes and removes the temporary file.
    void discard();

    std::int64_t framesWritten() const;
    const QString &tempPath() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace stemship::io
