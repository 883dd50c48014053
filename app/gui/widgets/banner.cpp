#include "widgets/banner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QPainterPath>
#include <QToolButton>

namespace stemship::gui {

Banner::Banner(QWidget *parent)
    : QFrame(parent), m_icon(new QLabel(this)), m_text(new QLabel(this)), m_close(new QToolButton(this))
{
    setObjectName(QStringLiteral("banner"));
    setAccessibleName(QStringLiteral("Message"));
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(14, 8, 8, 8);
    layout->setSpacing(10);
    m_icon->setFixedSize(16, 16);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close->setText(QStringLiteral("\u2715"));
    m_close->setAutoRaise(true);
    m_close->setAccessibleName(QStringLiteral("Dismiss message"));
    m_close->setToolTip(QStringLiteral("Dismiss"));
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    connect(m_close, &QToolButton::clicked, this, &Banner::clear);
    hide();
}

void Banner::showMessage(theme::Status status, const QString &text)
{
    m_status = status;
    m_icon->setPixmap(theme::statusIcon(status).pixmap(16, 16));
    m_text->setText(text);
    setAccessibleDescription(text);
    show();
    update();
    Q_EMIT shownChanged(true);
}

void Banner::showMessages(theme::Status status, const QStringList &lines)
{
    constexpr int kShown = 6;
    QStringList shown = lines.mid(0, kShown);
    if (lines.size() > kShown)
        shown.append(QStringLiteral("\u2026 and %1 more").arg(lines.size() - kShown));
    showMessage(status, shown.join(QLatin1Char('\n')));
}

void Banner::clear()
{
    m_text->clear();
    hide();
    Q_EMIT shownChanged(false);
}

QString Banner::text() const
{
    return m_text->text();
}

void Banner::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor accent = theme::statusColour(m_status, palette());
    QColor fill = accent;
    fill.setAlpha(theme::isDark(palette()) ? 40 : 28);
    QPainterPath path;
    path.addRoundedRect(QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5), 6, 6);
    painter.fillPath(path, fill);
    painter.setPen(QPen(accent, 1.0));
    painter.drawPath(path);
    painter.setClipPath(path);
    painter.fillRect(QRectF(0, 0, 4, height()), accent);
}

void Banner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        update();
    QFrame::changeEvent(event);
}

}  // namespace stemship::gui
