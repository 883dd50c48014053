#include "audio/mixdevice.h"

#include "metering/loudnessmeter.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace stemship::gui {

MixDevice::MixDevice(QObject *parent) : QIODevice(parent) {}

void MixDevice::attach(MixGraph *graph, metering::LoudnessMeter *meter, SampleFormat format)
{
    m_graph = graph;
    m_meter = meter;
    m_format = format;
    m_mix.assign(std::size_t(kChunkFrames * kMixChannels), 0.0f);
    m_laneScratch.assign(std::size_t(kChunkFrames * kMixChannels), 0.0f);
    const std::size_t lanes = graph ? graph->lanes.size() : 0;
    m_currentGains.assign(lanes, 0.0f);
    for (std::size_t i = 0; i < lanes; ++i)
        m_currentGains[i] = graph->lanes[i]->gain.load(std::memory_order_relaxed);
    m_lanePeaks.assign(lanes, 0.0f);
    m_channelPeaks[0] = m_channelPeaks[1] = 0.0f;
    if (!isOpen())
        open(QIODevice::ReadOnly | QIODevice::Unbuffered);
}

void MixDevice::detach()
{
    m_graph = nullptr;
    m_meter = nullptr;
}

qint64 MixDevice::bytesAvailable() const
{
    // A live stream never runs dry: underruns play as silence.
    return (m_graph ? qint64(1) << 20 : 0) + QIODevice::bytesAvailable();
}

qint64 MixDevice::writeData(const char *, qint64)
{
    return -1;
}

qint64 MixDevice::readData(char *data, qint64 maxSize)
{
    const int frameBytes = bytesPerFrame();
    const qint64 frames = maxSize / frameBytes;
    if (!m_graph) {
        std::memset(data, 0, std::size_t(frames * frameBytes));
        return frames * frameBytes;
    }
    for (qint64 done = 0; done < frames;) {
        const qint64 n = std::min(kChunkFrames, frames - done);
        mixChunk(data + done * frameBytes, n);
        done += n;
    }
    return frames * frameBytes;
}

void MixDevice::mixChunk(char *out, qint64 frames)
{
    MixGraph &graph = *m_graph;
    // "Finished" first: when it is set, every write the worker made is visible below, so an empty ring
    // really is the end and not a block still in flight.
    const bool finished = graph.producerFinished.load(std::memory_order_acquire);
    std::size_t available = graph.lanes.empty() ? 0 : SIZE_MAX;
    for (const auto &lane : graph.lanes)
        available = std::min(available, lane->ring.readAvailable() / kMixChannels);
    const auto real = qint64(std::min<std::size_t>(available, std::size_t(frames)));
    if (real < frames) {
        if (finished && available == 0)
            graph.drained.store(true, std::memory_order_release);
        else if (!finished)
            graph.underrunFrames.fetch_add(std::uint64_t(frames - real), std::memory_order_relaxed);
    }

    std::fill(m_mix.begin(), m_mix.begin() + frames * kMixChannels, 0.0f);
    for (std::size_t i = 0; i < graph.lanes.size(); ++i) {
        StemLane &lane = *graph.lanes[i];
        lane.ring.read(m_laneScratch.data(), std::size_t(real * kMixChannels));
        // A short linear ramp to the new gain: solo and mute without clicks.
        const float target = lane.gain.load(std::memory_order_relaxed);
        float gain = m_currentGains[i];
        const float step = real > 0 ? (target - gain) / float(real) : 0.0f;
        if (lane.peakTaken.load(std::memory_order_relaxed)) {
            m_lanePeaks[i] = 0.0f;
            lane.peakTaken.store(false, std::memory_order_relaxed);
        }
        float peak = m_lanePeaks[i];
        for (qint64 s = 0; s < real; ++s) {
            gain += step;
            const float l = m_laneScratch[std::size_t(2 * s)] * gain;
            const float r = m_laneScratch[std::size_t(2 * s + 1)] * gain;
            m_mix[std::size_t(2 * s)] += l;
            m_mix[std::size_t(2 * s + 1)] += r;
            peak = std::max(peak, std::max(std::fabs(l), std::fabs(r)));
        }
        m_currentGains[i] = real > 0 ? target : gain;
        m_lanePeaks[i] = peak;
        lane.peak.store(peak, std::memory_order_relaxed);
    }

    // NaN or Inf from a broken stem (or overs summed past float range) reach the device as silence: a device
    // fed NaN may play full-scale noise or mute itself.
    for (qint64 s = 0; s < frames * kMixChannels; ++s)
        if (!std::isfinite(m_mix[std::size_t(s)]))
            m_mix[std::size_t(s)] = 0.0f;
    if (m_meter && real > 0)
        m_meter->process(m_mix.data(), std::size_t(real));

    if (graph.channelPeakTaken.load(std::memory_order_relaxed)) {
        m_channelPeaks[0] = m_channelPeaks[1] = 0.0f;
        graph.channelPeakTaken.store(false, std::memory_order_relaxed);
    }
    for (qint64 s = 0; s < real; ++s)
        for (int c = 0; c < kMixChannels; ++c)
            m_channelPeaks[c] = std::max(m_channelPeaks[c], std::fabs(m_mix[std::size_t(s * kMixChannels + c)]));
    for (int c = 0; c < kMixChannels; ++c)
        graph.channelPeak[c].store(m_channelPeaks[c], std::memory_order_relaxed);
    graph.positionFrames.fetch_add(real, std::memory_order_relaxed);

    if (m_format == SampleFormat::Float32) {
        std::memcpy(out, m_mix.data(), std::size_t(frames * kMixChannels) * sizeof(float));
    } else {
        auto *pcm = reinterpret_cast<qint16 *>(out);
        for (qint64 s = 0; s < frames * kMixChannels; ++s) {
            const float v = std::clamp(m_mix[std::size_t(s)], -1.0f, 1.0f);
            pcm[s] = qint16(std::lrint(v * 32767.0f));
        }
    }
}

}  // namespace stemship::gui
