#pragma once

// What a delivered WAV is to hold: its format, the Broadcast Wave fields, the tags and the iXML. The delivery fills
// a WavWriterSpec per stem; wavheader.h lays the bytes around the samples out from it, the render writes the
// samples in the encoding it names.

#include "io/bwfchunks.h"

#include <QDateTime>
#include <QString>

#include <cstdint>
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
    QString path;  // the file renderStem writes (as a temporary beside it, then renamed); errors name it
    int sampleRateHz = 48000;
    int channels = 2;
    SampleEncoding encoding = SampleEncoding::Pcm24;
    BroadcastInfo bext;
    // WAVE_FORMAT_EXTENSIBLE dwChannelMask (channels in the mask's bit order); 0 = defaultChannelMask (wavheader.h).
    std::uint32_t channelMask = 0;
    std::optional<IxmlFields> ixml;  // after the tags when set
    WavTags tags;
    // renderStem's fsync before the rename. Off for intermediates that are copied on and deleted (the delivery's work files):
    // forcing them to disk only waits for the device.
    bool syncToDisk = true;
};

}  // namespace stemship::io
