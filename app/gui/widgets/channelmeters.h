#pragma once

// Per-channel peak meters of one multichannel stem (5.1, 7.1, 7.1.4, ...) on the Listen page, one bar per channel
// in file order, labelled with core's channel names for the stem's layout. The page feeds it the peaks the audio
// thread published (PlaybackEngine::takeStemChannelPeaks) at display rate.

#include "widgets/meterbridge.h"

#include <QElapsedTimer>
#include <QStringList>
#include <QWidget>

#include <vector>

class QHBoxLayout;
class QLabel;

namespace stemship::gui {

class LevelMeter;

class ChannelMeters : public QWidget {
    Q_OBJECT

public:
    explicit ChannelMeters(QWidget *parent = nullptr);

    // One meter per label; the title names the stem and its layout. An empty list clears the meters.
    void setChannels(const QString &title, const QStringList &labels);
    // Linear peaks since the previous call, one per channel; shown with peak-programme ballistics.
    void showPeaks(const std::vector<float> &peaks);

    // What the meters show (tests read them).
    QStringList labels() const { return m_labels; }
    std::vector<double> levelsDb() const;
    QString title() const;

private:
    QLabel *m_title;
    QHBoxLayout *m_row;
    QStringList m_labels;
    std::vector<LevelMeter *> m_meters;
    std::vector<PeakBallistics> m_ballistics;
    QElapsedTimer m_clock;
};

}  // namespace stemship::gui
