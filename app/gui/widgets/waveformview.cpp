#include "widgets/waveformview.h"

#include "theme.h"

#include <QKeyEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>

#include <algorithm>
#include <cmath>

namespace stemship::gui {

namespace {

constexpr double kRulerHeight = 18.0;

// A tick spacing that gives at least ~70 px between labels.
double niceStep(double seconds, double width)
{
    const double steps[] = {0.1, 0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600};
    for (double step : steps)
        if (width * step / std::max(seconds, 1e-6) >= 70.0)
            return step;
    return 1200.0;
}

void paintWell(QPainter &painter, const QRectF &rect, const QPalette &palette)
{
    painter.setRenderHint(QPainter::Antialiasing);
    QPainterPath path;
    path.addRoundedRect(rect, 6, 6);
    painter.fillPath(path, palette.color(QPalette::Base));
    QColor border = palette.color(QPalette::Mid);
    painter.setPen(QPen(border, 1.0));
    painter.drawPath(path);
}

}  // namespace

QString formatTime(double seconds, bool millis)
{
    if (!std::isfinite(seconds))
        return QStringLiteral("--:--");
    const bool negative = seconds < 0;
    seconds = std::abs(seconds);
    const auto minutes = int(seconds / 60.0);
    const double rest = seconds - minutes * 60.0;
    const QString text = millis ? QStringLiteral("%1:%2").arg(minutes).arg(rest, 6, 'f', 3, QLatin1Char('0'))
                                : QStringLiteral("%1:%2").arg(minutes).arg(int(rest), 2, 10, QLatin1Char('0'));
    return negative ? QStringLiteral("-") + text : text;
}

WaveformView::WaveformView(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(QStringLiteral("Waveform overview"));
    setFocusPolicy(Qt::StrongFocus);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_placeholder = QStringLiteral("No stem selected");
}

void WaveformView::setOverview(const audit::Overview &overview, double durationSeconds, const QColor &colour)
{
    m_overview = overview;
    m_durationSeconds = durationSeconds;
    m_colour = colour;
    update();
}

void WaveformView::clear(const QString &placeholder)
{
    m_overview = {};
    m_durationSeconds = 0.0;
    m_placeholder = placeholder;
    update();
}

void WaveformView::setPlayhead(std::optional<double> seconds)
{
    if (seconds == m_playheadSeconds)
        return;
    m_playheadSeconds = seconds;
    update();
}

void WaveformView::setBarOne(std::optional<double> seconds)
{
    m_barOneSeconds = seconds;
    update();
}

void WaveformView::setBarGrid(double barSeconds)
{
    m_barSeconds = barSeconds;
    update();
}

QSize WaveformView::sizeHint() const
{
    return {600, 140};
}

QSize WaveformView::minimumSizeHint() const
{
    return {200, 80};
}

QRectF WaveformView::plotRect() const
{
    return QRectF(rect()).adjusted(1, 1, -1, -1 - kRulerHeight);
}

double WaveformView::secondsAt(double x) const
{
    const QRectF plot = plotRect();
    if (plot.width() <= 0 || m_durationSeconds <= 0)
        return 0.0;
    return std::clamp((x - plot.left()) / plot.width(), 0.0, 1.0) * m_durationSeconds;
}

double WaveformView::xAt(double seconds) const
{
    const QRectF plot = plotRect();
    return m_durationSeconds > 0 ? plot.left() + seconds / m_durationSeconds * plot.width() : plot.left();
}

void WaveformView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QRectF plot = plotRect();
    paintWell(painter, plot, palette());
    QColor faint = palette().color(QPalette::WindowText);
    faint.setAlpha(110);
    if (m_overview.maximum.empty() || m_durationSeconds <= 0) {
        painter.setPen(faint);
        painter.drawText(plot, Qt::AlignCenter, m_placeholder);
        return;
    }
    paintBarGrid(painter, plot);
    paintEnvelope(painter, plot, faint);
    paintRuler(painter, plot, faint);
    paintMarkers(painter, plot);
}

// Bar grid from bar one, so the user sees the downbeats line up.
void WaveformView::paintBarGrid(QPainter &painter, const QRectF &plot) const
{
    if (m_barSeconds > 0 && m_barOneSeconds) {
        const double barSeconds = m_barSeconds;
        QColor grid = palette().color(QPalette::WindowText);
        grid.setAlpha(28);
        painter.setPen(QPen(grid, 1.0));
        const double barWidth = plot.width() * barSeconds / m_durationSeconds;
        if (barWidth > 6.0) {
            // Bars before bar one count 0, -1, ... as in a DAW's pre-roll.
            const int firstBar = -int(std::floor(*m_barOneSeconds / barSeconds));
            QColor number = palette().color(QPalette::WindowText);
            number.setAlpha(120);
            painter.setFont(theme::monospaceFont(-2));
            const int labelEvery = std::max(1, int(std::ceil(28.0 / barWidth)));
            for (int bar = firstBar;; ++bar) {
                const double t = *m_barOneSeconds + bar * barSeconds;
                if (t > m_durationSeconds)
                    break;
                painter.setPen(QPen(grid, 1.0));
                painter.drawLine(QPointF(xAt(t), plot.top()), QPointF(xAt(t), plot.bottom()));
                if (bar != 0 && bar % labelEvery == 0) {
                    painter.setPen(number);
                    painter.drawText(QRectF(xAt(t) + 3, plot.top() + 2, 40, 14), Qt::AlignLeft | Qt::AlignTop,
                                     QString::number(bar + 1));
                }
            }
        }
    }
}

void WaveformView::paintEnvelope(QPainter &painter, const QRectF &plot, const QColor &faint) const
{
    const double mid = plot.center().y();
    const double half = plot.height() / 2.0 - 4.0;
    painter.setPen(QPen(faint, 0.5));
    painter.drawLine(QPointF(plot.left(), mid), QPointF(plot.right(), mid));
    const QColor colour = m_colour.isValid() ? m_colour : palette().color(QPalette::Highlight);
    const auto buckets = m_overview.maximum.size();
    // One filled envelope: the upper edge left to right, the lower edge back.
    QPainterPath wave;
    const auto xOf = [&](std::size_t i) { return plot.left() + (double(i) + 0.5) / double(buckets) * plot.width(); };
    const auto yOf = [&](float v) { return mid - std::clamp(double(v), -1.0, 1.0) * half; };
    wave.moveTo(xOf(0), yOf(m_overview.maximum[0]));
    for (std::size_t i = 1; i < buckets; ++i)
        wave.lineTo(xOf(i), yOf(m_overview.maximum[i]));
    for (std::size_t i = buckets; i-- > 0;)
        wave.lineTo(xOf(i), std::max(yOf(m_overview.minimum[i]), yOf(m_overview.maximum[i]) + 1.0));
    wave.closeSubpath();
    painter.setRenderHint(QPainter::Antialiasing);
    QColor fill = colour;
    fill.setAlpha(200);
    painter.fillPath(wave, fill);
    painter.setPen(QPen(colour.lighter(115), 0.8));
    painter.drawPath(wave);
}

void WaveformView::paintRuler(QPainter &painter, const QRectF &plot, const QColor &faint) const
{
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setFont(theme::monospaceFont(-2));
    painter.setPen(faint);
    const double step = niceStep(m_durationSeconds, plot.width());
    for (double t = 0; t <= m_durationSeconds + 1e-9; t += step) {
        const double x = xAt(t);
        painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + 4));
        painter.drawText(QRectF(x + 3, plot.bottom() + 1, 80, kRulerHeight - 2), Qt::AlignLeft | Qt::AlignVCenter,
                         formatTime(t, step < 1.0));
    }
}

// Bar one's flag and the playhead.
void WaveformView::paintMarkers(QPainter &painter, const QRectF &plot) const
{
    if (m_barOneSeconds) {
        const double x = xAt(*m_barOneSeconds);
        const QColor marker(0xff, 0x9f, 0x1c);
        painter.setPen(QPen(marker, 2.0));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
        QPainterPath flag;
        flag.moveTo(x, plot.top());
        flag.lineTo(x + 34, plot.top());
        flag.lineTo(x + 34, plot.top() + 15);
        flag.lineTo(x, plot.top() + 15);
        flag.closeSubpath();
        painter.fillPath(flag, marker);
        painter.setPen(QColor(0x1b, 0x1b, 0x1b));
        painter.drawText(QRectF(x + 2, plot.top(), 32, 15), Qt::AlignCenter, QStringLiteral("BAR 1"));
    }
    if (m_playheadSeconds) {
        const double x = xAt(*m_playheadSeconds);
        painter.setPen(QPen(palette().color(QPalette::WindowText), 1.5));
        painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()));
    }
}

void WaveformView::pointerAt(double x)
{
    if (m_durationSeconds <= 0)
        return;
    const double seconds = secondsAt(x);
    if (m_action == ClickAction::SetBarOne) {
        m_barOneSeconds = seconds;
        update();
        Q_EMIT barOneChanged(seconds);
    } else {
        Q_EMIT seekRequested(seconds);
    }
}

void WaveformView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() == Qt::LeftButton)
        pointerAt(event->position().x());
}

void WaveformView::mouseMoveEvent(QMouseEvent *event)
{
    if (event->buttons() & Qt::LeftButton)
        pointerAt(event->position().x());
}

void WaveformView::keyPressEvent(QKeyEvent *event)
{
    // Arrow keys nudge the bar-one marker by 10 ms (1 ms with Shift), for those who set it without a mouse.
    if (m_action == ClickAction::SetBarOne && (event->key() == Qt::Key_Left || event->key() == Qt::Key_Right)) {
        const double step = (event->modifiers() & Qt::ShiftModifier) ? 0.001 : 0.010;
        const double sign = event->key() == Qt::Key_Left ? -1.0 : 1.0;
        m_barOneSeconds = std::clamp(m_barOneSeconds.value_or(0.0) + sign * step, 0.0, m_durationSeconds);
        update();
        Q_EMIT barOneChanged(*m_barOneSeconds);
        return;
    }
    QWidget::keyPressEvent(event);
}

LoudnessView::LoudnessView(QWidget *parent) : QWidget(parent)
{
    setAccessibleName(QStringLiteral("Loudness over time"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    m_placeholder = QStringLiteral("No stem selected");
}

void LoudnessView::setCurve(const audit::LoudnessCurve &curve, double integratedLufs)
{
    m_curve = curve;
    m_integratedLufs = integratedLufs;
    update();
}

void LoudnessView::setTarget(std::optional<double> lufs)
{
    m_targetLufs = lufs;
    update();
}

void LoudnessView::clear(const QString &placeholder)
{
    m_curve = {};
    m_integratedLufs = -INFINITY;
    m_placeholder = placeholder;
    update();
}

QSize LoudnessView::sizeHint() const
{
    return {600, 130};
}

void LoudnessView::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const double axisWidth = 34.0;
    const QRectF plot = QRectF(rect()).adjusted(axisWidth, 1, -1, -1);
    paintWell(painter, plot, palette());
    QColor faint = palette().color(QPalette::WindowText);
    faint.setAlpha(110);
    const std::size_t points = m_curve.shortTermLufs.size();
    if (points < 2 && m_curve.momentaryLufs.size() < 2) {
        painter.setPen(faint);
        painter.drawText(plot, Qt::AlignCenter, m_placeholder);
        return;
    }
    constexpr double kMinLufs = -60.0;
    constexpr double kMaxLufs = 0.0;
    const auto yFor = [&](double lufs) {
        return plot.top() + 4 + (kMaxLufs - std::clamp(lufs, kMinLufs, kMaxLufs)) / (kMaxLufs - kMinLufs) * (plot.height() - 8);
    };
    painter.setFont(theme::monospaceFont(-2));
    for (double lufs : {0.0, -10.0, -20.0, -30.0, -40.0, -50.0, -60.0}) {
        QColor grid = faint;
        grid.setAlpha(30);
        painter.setPen(grid);
        painter.drawLine(QPointF(plot.left(), yFor(lufs)), QPointF(plot.right(), yFor(lufs)));
        painter.setPen(faint);
        painter.drawText(QRectF(0, yFor(lufs) - 7, axisWidth - 5, 14), Qt::AlignRight | Qt::AlignVCenter,
                         QString::number(lufs, 'f', 0));
    }
    const auto curvePath = [&](const std::vector<float> &values) {
        QPainterPath path;
        bool drawing = false;
        for (std::size_t i = 0; i < values.size(); ++i) {
            const double x = plot.left() + double(i) / double(std::max<std::size_t>(1, values.size() - 1)) * plot.width();
            if (!std::isfinite(values[i]) || values[i] < kMinLufs) {
                drawing = false;
                continue;
            }
            const double y = yFor(values[i]);
            if (drawing)
                path.lineTo(x, y);
            else
                path.moveTo(x, y);
            drawing = true;
        }
        return path;
    };
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setClipRect(plot);
    QColor momentary = palette().color(QPalette::Highlight);
    momentary.setAlpha(110);
    painter.setPen(QPen(momentary, 1.0));
    painter.drawPath(curvePath(m_curve.momentaryLufs));
    painter.setPen(QPen(palette().color(QPalette::Highlight), 2.0));
    painter.drawPath(curvePath(m_curve.shortTermLufs));
    if (m_targetLufs) {
        painter.setPen(QPen(QColor(0x7c, 0xc4, 0xff), 1.0, Qt::DashLine));
        painter.drawLine(QPointF(plot.left(), yFor(*m_targetLufs)), QPointF(plot.right(), yFor(*m_targetLufs)));
    }
    if (std::isfinite(m_integratedLufs)) {
        const QColor integrated(0xff, 0x9f, 0x1c);
        painter.setPen(QPen(integrated, 1.0));
        painter.drawLine(QPointF(plot.left(), yFor(m_integratedLufs)), QPointF(plot.right(), yFor(m_integratedLufs)));
        painter.drawText(QRectF(plot.right() - 150, yFor(m_integratedLufs) - 16, 144, 14), Qt::AlignRight,
                         QStringLiteral("I %1 LUFS").arg(m_integratedLufs, 0, 'f', 1));
    }
}

}  // namespace stemship::gui
