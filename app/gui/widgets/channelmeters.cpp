#include "widgets/channelmeters.h"

#include "widgets/levelmeter.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace stemship::gui {

ChannelMeters::ChannelMeters(QWidget *parent) : QWidget(parent), m_title(new QLabel(this)), m_row(new QHBoxLayout)
{
    setAccessibleName(QStringLiteral("Channel meters of the selected stem"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    m_title->setObjectName(QStringLiteral("pageSubtitle"));
    layout->addWidget(m_title);
    m_row->setSpacing(4);
    layout->addLayout(m_row, 1);
}

void ChannelMeters::setChannels(const QString &title, const QStringList &labels)
{
    m_title->setText(title);
    if (labels == m_labels)
        return;
    while (QLayoutItem *item = m_row->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    m_meters.clear();
    m_labels = labels;
    MeterRange range;  // dBFS, the mix bus's range: amber from -18, red from -6
    auto *scale = new MeterScale(this);
    scale->setRange(range);
    // Coarser than the mix bus's scale: these bars are shorter, and a tick every 3 dB near the top would overlap.
    scale->setTicks({0, -6, -12, -18, -24, -40, -60});
    m_row->addWidget(scale);
    for (const QString &label : labels) {
        auto *meter = new LevelMeter(label, this);
        meter->setRange(range);
        meter->setAccessibleName(QStringLiteral("Channel %1 meter").arg(label));
        m_row->addWidget(meter);
        m_meters.push_back(meter);
    }
    m_row->addStretch();
    m_ballistics.assign(m_meters.size(), PeakBallistics{});
    m_clock.invalidate();
}

void ChannelMeters::showPeaks(const std::vector<float> &peaks)
{
    const double elapsed = m_clock.isValid() ? m_clock.restart() / 1000.0 : 0.0;
    if (!m_clock.isValid())
        m_clock.start();
    for (std::size_t c = 0; c < m_meters.size(); ++c) {
        m_ballistics[c].update(metering::linearToDb(c < peaks.size() ? peaks[c] : 0.0f), elapsed);
        m_meters[c]->setLevel(m_ballistics[c].levelDb);
        m_meters[c]->setHold(m_ballistics[c].holdDb);
    }
}

std::vector<double> ChannelMeters::levelsDb() const
{
    std::vector<double> levels;
    for (const LevelMeter *meter : m_meters)
        levels.push_back(meter->level());
    return levels;
}

QString ChannelMeters::title() const
{
    return m_title->text();
}

}  // namespace stemship::gui
