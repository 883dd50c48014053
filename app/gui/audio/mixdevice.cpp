#include "audio/mixdevice.h"

#include "audio/stemstreamer.h"
#include "metering/loudnessmeter.h"

#include <QThread>

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
    int widestLane = kMixChannels;
    if (graph)
        for (const auto &lane : graph->lanes)
            widestLane = std::max(widestLane, lane->channels);
    m_laneScratch.assign(std::size_t(kChunkFrames * widestLane), 0.0f);
    m_foldScratch.assign(std::size_t(kChunkFrames * kMixChannels), 0.0f);
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
    m_lastReaderThread.store(QThread::currentThreadId(), std::memory_order_relaxed);
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
        available = std::min(available, lane->ring.readAvailable() / std::size_t(lane->channels));
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
        if (lane.peakTaken.load(std::memory_order_relaxed)) {
            m_lanePeaks[i] = 0.0f;
            lane.peakTaken.store(false, std::memory_order_relaxed);
        }
        m_lanePeaks[i] = std::max(m_lanePeaks[i], mixLane(i, real));
        lane.peak.store(m_lanePeaks[i], std::memory_order_relaxed);
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

// One lane's `frames` into the mix: its gain ramped in the stem's own channels (so the per-channel meters show
// what is heard), each channel's peak published, then folded to stereo. Returns the folded chunk's peak.
float MixDevice::mixLane(std::size_t index, qint64 frames)
{
    StemLane &lane = *m_graph->lanes[index];
    const int channels = lane.channels;
    float *samples = m_laneScratch.data();
    lane.ring.read(samples, std::size_t(frames * channels));
    // A short linear ramp to the new gain: solo and mute without clicks.
    const float target = lane.gain.load(std::memory_order_relaxed);
    float gain = m_currentGains[index];
    const float step = frames > 0 ? (target - gain) / float(frames) : 0.0f;
    for (qint64 f = 0; f < frames; ++f) {
        gain += step;
        for (int c = 0; c < channels; ++c)
            samples[f * channels + c] *= gain;
    }
    m_currentGains[index] = frames > 0 ? target : gain;

    // The audio thread is the only writer of these peaks, so they are their own accumulators.
    const bool restart = lane.channelPeaksTaken.exchange(false, std::memory_order_relaxed);
    for (int c = 0; c < channels; ++c) {
        float peak = restart ? 0.0f : lane.channelPeaks[std::size_t(c)].load(std::memory_order_relaxed);
        for (qint64 f = 0; f < frames; ++f)
            peak = std::max(peak, std::fabs(samples[f * channels + c]));
        lane.channelPeaks[std::size_t(c)].store(peak, std::memory_order_relaxed);
    }

    float *stereo = m_foldScratch.data();
    foldToStereo(samples, channels, frames, stereo);
    float peak = 0.0f;
    for (qint64 s = 0; s < frames * kMixChannels; ++s) {
        m_mix[std::size_t(s)] += stereo[s];
        peak = std::max(peak, std::fabs(stereo[s]));
    }
    return peak;
}

}  // namespace stemship::gui
