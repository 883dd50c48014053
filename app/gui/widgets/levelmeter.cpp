#include "widgets/levelmeter.h"

#include "theme.h"

#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace stemship::gui {

double MeterRange::yFor(double db, int height) const
{
    const double usable = height - 2.0 * kPadding;
    const double clamped = std::clamp(std::isfinite(db) ? db : minDb, minDb, maxDb);
    return kPadding + (maxDb - clamped) / (maxDb - minDb) * usable;
}

LevelMeter::LevelMeter(const QString &label, QWidget *parent) : QWidget(parent), m_label(label)
{
    setAccessibleName(label + QStringLiteral(" meter"));
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
}

void LevelMeter::setRange(const MeterRange &range)
{
    m_range = range;
    update();
}

void LevelMeter::setLevel(double db)
{
    if (db == m_levelDb)
        return;
    m_levelDb = db;
    update();
}

void LevelMeter::setHold(double db)
{
    if (db == m_holdDb)
        return;
    m_holdDb = db;
    update();
}

void LevelMeter::setTarget(std::optional<double> db)
{
    m_targetDb = db;
    update();
}

QSize LevelMeter::sizeHint() const
{
    return {20, 260};
}

QSize LevelMeter::minimumSizeHint() const
{
    return {14, 120};
}

void LevelMeter::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const int labelHeight = fontMetrics().height() + 2;
    const int meterHeight = height() - labelHeight;
    const QRectF well(0, 0, width(), meterHeight);
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(well, 3, 3);
    painter.fillPath(path, theme::meterWell(palette()));
    painter.setRenderHint(QPainter::Antialiasing, false);

    // LED-style segments of 1 dB; unlit ones are dim so the scale reads even in silence.
    const double barLeft = 3.0;
    const double barWidth = width() - 6.0;
    const double levelY = m_range.yFor(m_levelDb, meterHeight);
    const bool hasLevel = std::isfinite(m_levelDb) && m_levelDb > m_range.minDb;
    for (double db = m_range.minDb; db < m_range.maxDb; db += 1.0) {
        const double yTop = m_range.yFor(db + 1.0, meterHeight);
        const double yBottom = m_range.yFor(db, meterHeight);
        QColor colour = db >= m_range.dangerDb    ? theme::meterDanger()
                        : db >= m_range.cautionDb ? theme::meterCaution()
                                                  : theme::meterSafe();
        const bool lit = hasLevel && yBottom > levelY + 0.5;
        if (!lit)
            colour.setAlpha(34);
        painter.fillRect(QRectF(barLeft, yTop + 1.0, barWidth, std::max(1.0, yBottom - yTop - 1.0)), colour);
    }
    if (m_targetDb) {
        const double y = m_range.yFor(*m_targetDb, meterHeight);
        painter.setPen(QPen(QColor(0x7c, 0xc4, 0xff), 1.0, Qt::DashLine));
        painter.drawLine(QPointF(0, y), QPointF(width(), y));
    }
    if (std::isfinite(m_holdDb) && m_holdDb > m_range.minDb) {
        const double y = m_range.yFor(m_holdDb, meterHeight);
        const QColor colour = m_holdDb >= m_range.dangerDb    ? theme::meterDanger()
                              : m_holdDb >= m_range.cautionDb ? theme::meterCaution()
                                                              : QColor(0xf2, 0xf4, 0xf6);
        painter.fillRect(QRectF(1.0, y - 1.0, width() - 2.0, 2.0), colour);
    }
    painter.setPen(palette().color(QPalette::WindowText));
    painter.drawText(QRect(0, meterHeight, width(), labelHeight), Qt::AlignCenter, m_label);
}

MeterScale::MeterScale(QWidget *parent) : QWidget(parent)
{
    m_ticks = {0, -3, -6, -9, -12, -18, -24, -30, -40, -50, -60};
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Expanding);
    setFont(theme::monospaceFont(-2));
}

void MeterScale::setRange(const MeterRange &range)
{
    m_range = range;
    update();
}

void MeterScale::setTicks(QList<double> ticks)
{
    m_ticks = std::move(ticks);
    update();
}

QSize MeterScale::sizeHint() const
{
    return {fontMetrics().horizontalAdvance(QStringLiteral("-60")) + 8, 260};
}

void MeterScale::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const int labelHeight = QFontMetrics(parentWidget() ? parentWidget()->font() : font()).height() + 2;
    const int meterHeight = height() - labelHeight;
    QColor colour = palette().color(QPalette::WindowText);
    colour.setAlpha(170);
    painter.setPen(colour);
    const int textHeight = fontMetrics().height();
    for (double tick : std::as_const(m_ticks)) {
        if (tick < m_range.minDb || tick > m_range.maxDb)
            continue;
        const double y = m_range.yFor(tick, meterHeight);
        painter.drawLine(QPointF(width() - 4, y), QPointF(width(), y));
        painter.drawText(QRectF(0, y - textHeight / 2.0, width() - 6, textHeight), Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(tick, 'f', 0));
    }
}

CorrelationMeter::CorrelationMeter(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(QStringLiteral("Phase correlation meter"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
}

void CorrelationMeter::setCorrelation(double value)
{
    value = std::isfinite(value) ? std::clamp(value, -1.0, 1.0) : 0.0;
    if (value == m_value)
        return;
    m_value = value;
    update();
}

QSize CorrelationMeter::sizeHint() const
{
    return {200, 22};
}

void CorrelationMeter::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF well(0, 0, width(), height());
    QPainterPath path;
    path.addRoundedRect(well, 3, 3);
    painter.fillPath(path, theme::meterWell(palette()));
    const double centre = width() / 2.0;
    const auto xFor = [&](double v) { return centre + v * (width() / 2.0 - 4.0); };
    QColor red = theme::meterDanger();
    red.setAlpha(50);
    painter.fillRect(QRectF(xFor(-1.0), 3, xFor(0.0) - xFor(-1.0), height() - 6), red);
    painter.setPen(QColor(255, 255, 255, 60));
    for (double v : {-1.0, -0.5, 0.0, 0.5, 1.0})
        painter.drawLine(QPointF(xFor(v), height() - 5), QPointF(xFor(v), height() - 2));
    const QColor marker = m_value < 0.0 ? theme::meterDanger() : m_value < 0.3 ? theme::meterCaution() : theme::meterSafe();
    const double x = xFor(m_value);
    painter.fillRect(QRectF(std::min(x, centre), 6, std::abs(x - centre), height() - 12), marker.darker(140));
    painter.fillRect(QRectF(x - 2, 3, 4, height() - 6), marker);
    painter.setPen(QColor(255, 255, 255, 150));
    QFont small = theme::monospaceFont(-2);
    painter.setFont(small);
    painter.drawText(QRectF(6, 0, 30, height()), Qt::AlignLeft | Qt::AlignVCenter, QStringLiteral("-1"));
    painter.drawText(QRectF(width() - 36, 0, 30, height()), Qt::AlignRight | Qt::AlignVCenter, QStringLiteral("+1"));
}

}  // namespace stemship::gui
