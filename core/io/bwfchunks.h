#pragma once

// The Broadcast Wave chunks of delivered and received WAVs. Writing: fmt (WAVE_FORMAT_EXTENSIBLE), bext version 2
// (loudness, UMID, coding history) and iXML are built here, in memory; wavheader.h lays a delivered WAV out around
// them. Reading: a tolerant parser for bext and iXML of received files, which reports truncated, oversized or
// malformed chunks instead of trusting them.

#include <QByteArray>
#include <QList>
#include <QString>
#include <QStringList>

#include <array>
#include <cstdint>
#include <functional>
#include <optional>

namespace stemship::io {

// EBU Tech 3285 v2 loudness fields, in LUFS / LU / dBTP; nullopt is written as 0x7FFF ("not set").
struct BextLoudness {
    std::optional<double> loudnessValueLufs;
    std::optional<double> loudnessRangeLu;
    std::optional<double> maxTruePeakLevelDbtp;
    std::optional<double> maxMomentaryLoudnessLufs;
    std::optional<double> maxShortTermLoudnessLufs;
};

using Umid = std::array<std::uint8_t, 64>;  // the bext UMID field: a 32-byte basic UMID, then zeros

struct BextFields {
    QByteArray description;          // at most 256 bytes (ASCII)
    QByteArray originator;           // 32
    QByteArray originatorReference;  // 32
    QByteArray originationDate;      // "yyyy-MM-dd"
    QByteArray originationTime;      // "hh:mm:ss"
    std::uint64_t timeReferenceSamples = 0;
    std::uint16_t version = 2;
    Umid umid{};
    BextLoudness loudness;
    QByteArray codingHistory;        // CR LF terminated lines (EBU R98)
};

// Size of the fixed part of a bext body (EBU Tech 3285 v2: 602 bytes before CodingHistory).
inline constexpr int kBextFixedBytes = 602;
// Offset of LoudnessValue in the bext body: the five loudness words are patched there after rendering.
inline constexpr int kBextLoudnessOffset = 412;

// A new SMPTE ST 330 basic UMID (32 bytes: universal label, length 0x13, instance 0, a random 16-byte
// material number), in the first half of a zeroed 64-byte field. Every call gives a different one.
Umid newBasicUmid(int channels);
QString umidToHex(const Umid &umid);  // the 32 bytes of the basic UMID as 64 hex digits; empty if all zero

// Whole "bext" chunk (header, body, pad byte).
QByteArray buildBextChunk(const BextFields &bext);
// One loudness word: value x100 rounded, clamped to int16; 0x7FFF ("not set") for nullopt or -inf.
std::int16_t bextLoudnessWord(const std::optional<double> &value);
// The five loudness words (10 bytes) for kBextLoudnessOffset.
QByteArray encodeBextLoudness(const BextLoudness &loudness);

// EBU R98 coding history line, e.g. "A=PCM,F=48000,W=24,M=stereo,T=Stemship 0.1.0"; `mode` is R98's M field.
QByteArray r98Line(int sampleRateHz, int bits, const QByteArray &mode, const QByteArray &text);

// iXML: what Stemship writes and what it reads back.
struct IxmlTrack {
    int channelIndex = 0;      // 1-based
    int interleaveIndex = 0;   // 1-based
    QString name;
    QString function;          // "M", "L", "R", "C", "LFE", "Ls", ...
};

struct IxmlFields {
    QString project;
    QString note;
    QList<IxmlTrack> tracks;
    std::optional<std::uint64_t> timeReferenceSamples;  // BWF_TIME_REFERENCE_LOW/HIGH
};

QByteArray buildIxmlChunk(const IxmlFields &ixml);  // whole "iXML" chunk, UTF-8 XML

// fmt chunk: WAVE_FORMAT_EXTENSIBLE (40-byte body) with the mask for channelMask != 0 or when asked for (a
// delivered WAV always is, whatever its mask), else the 16-byte PCM / IEEE float form.
QByteArray buildFmtChunk(int channels, int sampleRateHz, int bits, bool isFloat, std::uint32_t channelMask,
                         bool alwaysExtensible = false);

// What a received WAV's metadata chunks say, and what could not be trusted.
struct BwfMetadata {
    std::optional<BextFields> bext;
    std::optional<IxmlFields> ixml;
    QStringList problems;  // one line each: "bext chunk is 120 bytes, shorter than the 602 ..."
};

// Parses a bext body (the bytes after the chunk header); problems are appended; nullopt when unusable.
std::optional<BextFields> parseBextBody(const QByteArray &body, QStringList *problems);
// Parses an iXML body; nullopt with a problem when it is not well-formed.
std::optional<IxmlFields> parseIxmlBody(const QByteArray &body, QStringList *problems);

// Reads up to `size` bytes at `offset` into `out`; returns bytes read, or -1 (as ContainerProbe's ReadAtFn).
using ChunkReadFn = std::function<std::int64_t(std::int64_t offset, char *out, std::int64_t size)>;
// Walks a RIFF/RF64 WAVE file's chunks (bounded) and parses bext and iXML.
BwfMetadata readBwfMetadata(const ChunkReadFn &readAt, std::int64_t fileSize);

}  // namespace stemship::io
